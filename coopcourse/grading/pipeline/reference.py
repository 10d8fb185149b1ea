"""Expected values from a trusted run of the solution notebook, cached per source version.

The solution notebook runs once per version with its test cells rewritten to
export both the actual and the expected value of every check. The expected
values are kept (in ``autograded/.reference/``) and never sent to a learner's
kernel; the run also proves that the solution passes its own checks.
"""

from __future__ import annotations

import json
from pathlib import Path

from coopcourse.grading.checks import mismatch, validate_expected
from coopcourse.grading.pipeline.assemble import assemble
from coopcourse.grading.pipeline.source import (
    AssignmentError,
    AssignmentSource,
    package_fingerprint,
)
from coopcourse.grading.sandbox.execute import Execution, execute
from coopcourse.grading.sandbox.values import DecodeError, decode
from coopcourse.grading.sandbox.workdir import scratch_workdir
from coopcourse.grading.settings import CourseSettings

CACHE_FORMAT = 2  # expected values as hex of marshal version 2 bytes


def cache_path(settings: CourseSettings, assignment: str) -> Path:
    return settings.root / settings.autograded / ".reference" / f"{assignment}.json"


def check_ids_by_cell(source: AssignmentSource) -> dict[str, set[str]]:
    return {cell.grade_id: {c.check_id for c in cell.checks} for cell in source.graded("test")}


def run_assembled(
    settings: CourseSettings, source: AssignmentSource, notebook, *, reference: bool = False
) -> Execution:
    """Run a notebook assembled from ``source`` in a fresh, limited kernel and scratch folder."""
    with scratch_workdir(source.path.parent) as workdir:
        return execute(
            notebook,
            workdir,
            settings.limits,
            check_ids_by_cell(source),
            reference=reference,
            own_names=source.own_names,
        )


def reference_values(settings: CourseSettings, source: AssignmentSource) -> dict[str, object]:
    """Expected value of every check, from cache or from a fresh reference run."""
    path = cache_path(settings, source.name)
    if path.exists():
        cached = json.loads(path.read_text(encoding="utf-8"))
        if (
            cached.get("format") == CACHE_FORMAT
            and cached.get("source_sha256") == source.sha256
            and cached.get("package") == package_fingerprint()
        ):
            return {key: decode(bytes.fromhex(tree)) for key, tree in cached["expected"].items()}
    trees, failures = run_reference(settings, source)
    if failures:
        raise AssignmentError(
            f"the solution of {source.name} fails its own checks: " + "; ".join(failures)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "format": CACHE_FORMAT,
        "source_sha256": source.sha256,
        "package": package_fingerprint(),
        "expected": trees,
    }
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record, indent=1), encoding="utf-8")
    temporary.replace(path)
    return {key: decode(bytes.fromhex(tree)) for key, tree in trees.items()}


def run_reference(settings: CourseSettings, source: AssignmentSource) -> tuple[dict, list[str]]:
    """Run the solution; return expected trees by check id and the checks it fails."""
    assembly = assemble(source, source.notebook, with_rubric=False)
    execution = run_assembled(settings, source, assembly.notebook, reference=True)
    trees, failures = {}, []
    for cell in source.graded("test"):
        if not cell.checks:
            failures.append(
                f"test cell {cell.grade_id} has no check() call, so it can earn nothing"
            )
    for spec in source.checks:
        exports = execution.exports.get(spec.check_id, [])
        if len(exports) != 1 or not exports[0].expected:
            failures.append(f"{spec.check_id} did not run in the solution")
            continue
        export = exports[0]
        try:
            expected = decode(export.expected)
            validate_expected(expected)
        except (DecodeError, TypeError) as error:
            failures.append(f"{spec.check_id}: unusable expected value ({error})")
            continue
        trees[spec.check_id] = export.expected.hex()
        if export.status != "value":
            failures.append(f"{spec.check_id} gave no value in the solution ({export.status})")
        elif mismatch(decode(export.value), expected, rel_tol=spec.rel_tol) is not None:
            failures.append(f"{spec.check_id} fails in the solution")
    for _, what in execution.tampering:
        failures.append(f"the solution's run was irregular: {what}")
    return trees, failures
