"""Run an assembled notebook in a fresh grading kernel and collect exported values.

Learner cells run as they are. Before each test cell the guard restores the
kernel's hooks; the test cell itself runs in its rewritten form (see
:mod:`coopcourse.grading.rewrite`), so it exports values instead of judging them.
Only exports carrying this run's nonce, sent while that test cell ran, count.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

from coopcourse.grading.guard import EXPORT_MIME, PRELUDE, guard_message
from coopcourse.grading.kernel import CellRun, GradingKernel
from coopcourse.grading.rewrite import rewrite_test_cell
from coopcourse.grading.settings import Limits


@dataclass
class Export:
    value: object = None  # the tagged tree, decoded later
    error: str = ""
    detail: str = ""
    expected: object = None


@dataclass
class Execution:
    exports: dict[str, list[Export]] = field(default_factory=dict)  # by check id
    cell_runs: dict[int, CellRun] = field(default_factory=dict)  # by cell index
    stopped_at: int | None = None  # index of the cell where the kernel died


def _is_test(cell) -> bool:
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("grade")) and not meta.get("solution") and cell.cell_type == "code"


def _exports_from(run: CellRun, nonce: str, allowed: set[str]) -> dict[str, list[Export]]:
    found: dict[str, list[Export]] = {}
    for output in run.outputs:
        record = (
            output.get("data", {}).get(EXPORT_MIME)
            if output["output_type"] == "display_data"
            else None
        )
        if not isinstance(record, dict) or record.get("nonce") != nonce:
            continue
        check_id = record.get("id")
        if check_id not in allowed:
            continue
        found.setdefault(check_id, []).append(
            Export(
                value=record.get("value"),
                error=str(record.get("error", ""))[:80],
                detail=str(record.get("detail", ""))[:300],
                expected=record.get("expected"),
            )
        )
    return found


def execute(
    notebook,
    workdir: Path,
    limits: Limits,
    check_ids_by_cell: dict[str, set[str]],
    *,
    reference: bool = False,
    own_names: frozenset[str] = frozenset(),
) -> Execution:
    """Execute ``notebook`` (modified in place: outputs and execution counts)."""
    nonce = secrets.token_hex(16)
    execution = Execution()
    kernel = GradingKernel(workdir, limits)
    try:
        kernel.start()
        kernel.run(PRELUDE, timeout=60, history=False)
        count = 0
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if execution.stopped_at is not None:
                cell.outputs, cell.execution_count = [], None
                continue
            if _is_test(cell):
                grade_id = cell.metadata["nbgrader"]["grade_id"]
                kernel.call(*guard_message(nonce))
                code = rewrite_test_cell(
                    cell.source, nonce, reference=reference, own_names=own_names
                )
                # Kept out of the kernel's history, so earlier cells cannot read the nonce.
                run = kernel.run(code, history=False)
                for check_id, exports in _exports_from(
                    run, nonce, check_ids_by_cell.get(grade_id, set())
                ).items():
                    execution.exports.setdefault(check_id, []).extend(exports)
            else:
                run = kernel.run(cell.source)
            count += 1
            cell.execution_count = count
            cell.outputs = [_notebook_output(output) for output in run.outputs]
            execution.cell_runs[index] = run
            if run.status == "died" or not kernel.alive:
                execution.stopped_at = index
    finally:
        # Outputs are in; the kernel's teardown need not hold up the next submission.
        kernel.stop(wait=False)
    return execution


def _notebook_output(output: dict):
    import nbformat

    return nbformat.from_dict(output)
