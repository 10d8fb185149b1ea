"""Run an assembled notebook in a fresh grading kernel and collect check results.

Learner cells run as they are. Before each test cell the guard restores the
kernel's hooks; the test cell itself, rewritten so each check only evaluates its
``actual`` side, is run by the sentry (see :mod:`coopcourse.grading.sandbox.sentry`),
which sends each value as a signed record on the result channel. Only records
with a valid signature, for this test cell's request, about this cell's checks,
in order and exactly once, count; anything else on the channel is tampering.
The whole submission has a time budget; what ran before it ran out is graded.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from coopcourse.grading.nbgrader_cells import grade_id, is_test_cell
from coopcourse.grading.sandbox.channel import Record, request_digest
from coopcourse.grading.sandbox.guard import PRELUDE, guard_message
from coopcourse.grading.sandbox.kernel import ENDED_EARLY, CellRun, GradingKernel
from coopcourse.grading.sandbox.limits import Limits
from coopcourse.grading.sandbox.rewrite import builtins_to_drop, rewrite_test_cell
from coopcourse.grading.sandbox.sentry import KNOWN_VIOLATIONS, test_request


@dataclass
class Export:
    status: str  # value, error, unsupported or too-large
    detail: str = ""  # for errors: the name of a built-in exception, or a fixed phrase
    value: bytes = b""  # marshal bytes, decoded by the grader
    expected: bytes = b""  # reference runs only


@dataclass
class Execution:
    exports: dict[str, list[Export]] = field(default_factory=dict)  # by check id
    cell_runs: dict[int, CellRun] = field(default_factory=dict)  # by cell index
    stopped_at: int | None = None  # index of the cell where the kernel died
    tampering: list[tuple[int, str]] = field(default_factory=list)  # (cell index, what)
    unreported: list[int] = field(default_factory=list)  # test cells whose run never reported
    out_of_time: int | None = None  # index of the first cell not run for lack of time
    sandboxed: bool = True
    tampered_tests: set[str] = field(default_factory=set)  # test cells at or after tampering
    killed_from_outside: bool = False  # the kernel died of a signal the submission did not send

    @property
    def first_tampering(self) -> int | None:
        return min((index for index, _ in self.tampering), default=None)

    def mark_tampered_tests(self, notebook) -> None:
        first = self.first_tampering
        if first is None:
            return
        for index, cell in enumerate(notebook.cells):
            if index >= first and is_test_cell(cell):
                self.tampered_tests.add(grade_id(cell))


def _accept(
    records: list[Record], request: str, digest: str, allowed: set[str], index: int, ex: Execution
) -> bool:
    """Take this test cell's check records; note anything irregular. True if it reported."""
    expected_number, done = 1, False
    found: dict[str, list[Export]] = {}
    for record in records:
        if record.kind == "violation":
            ex.tampering.append((index, _describe_violation(record.fields)))
            continue
        if not record.fields or record.fields[0] != request or done:
            ex.tampering.append((index, "a test was run by the notebook itself (a forged run)"))
            continue
        if record.fields[1] != digest:
            ex.tampering.append((index, "the test cell was changed before it ran"))
            continue
        if record.kind == "done":
            done = True
            if record.fields[2] != expected_number - 1:
                ex.tampering.append((index, "a test cell reported a wrong number of checks"))
            continue
        _, _, number, check_id, status, detail, value, expected = record.fields
        if number != expected_number or check_id not in allowed or check_id in found:
            ex.tampering.append((index, "check results came out of order or twice"))
            continue
        expected_number += 1
        found[check_id] = [Export(status, detail, value, expected)]
    if done:
        for check_id, exports in found.items():
            ex.exports.setdefault(check_id, []).extend(exports)
    return done


def _describe(fields: tuple) -> str:
    what = fields[0] if fields and type(fields[0]) is str else "tamper with grading"
    if what not in KNOWN_VIOLATIONS:
        what = "tamper with grading"
    return {
        "sys.addaudithook": "add an audit hook",
        "sys.settrace": "set a trace function",
        "sys.setprofile": "set a profile function",
        "os.kill": "signal a process",
        "ctypes": "use ctypes",
    }.get(what, f"use {what}" if "." in what and " " not in what else what)


def _describe_violation(fields: tuple) -> str:
    what = _describe(fields)
    return what if what.startswith("the notebook") else f"it tried to {what}"


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
    execution = Execution(sandboxed=limits.sandbox)
    drop = builtins_to_drop(own_names)
    kernel = GradingKernel(workdir, limits)
    try:
        kernel.start()
        kernel.run(PRELUDE, timeout=60, history=False)
        # The budget counts the learner's notebook, not the kernel's start (slow on a busy machine).
        deadline = time.monotonic() + limits.submission_seconds
        count = 0
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if execution.stopped_at is not None or execution.out_of_time is not None:
                cell.outputs, cell.execution_count = [], None
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                execution.out_of_time = index
                cell.outputs, cell.execution_count = [], None
                continue
            timeout = min(limits.cell_timeout, left)
            if is_test_cell(cell):
                test_id = grade_id(cell)
                kernel.call(*guard_message())
                _note_stray_records(kernel, index, execution)
                request = secrets.token_hex(8)
                source = rewrite_test_cell(cell.source, reference=reference)
                # Kept out of the kernel's history, so later cells cannot read it.
                run = kernel.run(
                    test_request(request, source, drop, reference), timeout, history=False
                )
                if kernel.alive:
                    kernel.channel.wait_for("done", request, 2.0)
                records, notes = kernel.channel.take()
                execution.tampering.extend((index, note) for note in notes)
                reported = _accept(
                    records,
                    request,
                    request_digest(request, source),
                    check_ids_by_cell.get(test_id, set()),
                    index,
                    execution,
                )
                if not reported and run.status not in ENDED_EARLY:
                    execution.unreported.append(index)
            else:
                run = kernel.run(cell.source, timeout)
                _note_stray_records(kernel, index, execution)
            if run.status == "timeout" and time.monotonic() >= deadline:
                execution.out_of_time = index
            count += 1
            cell.execution_count = count
            cell.outputs = [_notebook_output(output) for output in run.outputs]
            execution.cell_runs[index] = run
            if run.status == "died" or not kernel.alive:
                execution.stopped_at = index
                execution.killed_from_outside = kernel.killed_from_outside()
                _note_stray_records(kernel, index, execution, wait=1.0)
    finally:
        # Outputs are in; the kernel's teardown need not hold up the next submission.
        kernel.stop(wait=False)
    execution.mark_tampered_tests(notebook)
    return execution


def _note_stray_records(kernel: GradingKernel, index: int, execution: Execution, wait=0.0):
    """Outside a test cell nothing may arrive on the result channel but a violation."""
    if kernel.channel is None:
        return
    if wait:
        time.sleep(min(wait, 0.2))
    records, notes = kernel.channel.take()
    execution.tampering.extend((index, note) for note in notes)
    for record in records:
        if record.kind == "violation":
            execution.tampering.append((index, _describe_violation(record.fields)))
        else:
            execution.tampering.append((index, "a test was run by the notebook itself"))


def _notebook_output(output: dict):
    import nbformat

    return nbformat.from_dict(output)
