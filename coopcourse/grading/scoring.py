"""Turn exported values into scores: a test cell scores only on positive evidence.

A test cell earns its points when every one of its checks was exported exactly
once, with this run's nonce, and the exported value matches the expected value
under the strict rule of :func:`coopcourse.grading.checks.mismatch`. A missing
export, an error, a duplicate or a crafted object scores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from coopcourse.grading.checks import mismatch
from coopcourse.grading.execute import Execution
from coopcourse.grading.source import AssignmentSource
from coopcourse.grading.values import DecodeError, Unexportable, decode_value


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    grade_id: str
    hidden: bool
    passed: bool
    message: str  # for graders; feedback shortens it for hidden checks


def judge(check_id: str, exports, expected, rel_tol: float) -> tuple[bool, str]:
    if not exports:
        return False, "did not run (an earlier error or a stopped kernel)"
    if len({repr(export.value) + export.error for export in exports}) > 1:
        return False, "was reported more than once with different results"
    export = exports[0]
    if export.error:
        detail = f": {export.detail}" if export.detail else ""
        return False, f"raised {export.error}{detail}"
    try:
        actual = decode_value(export.value)
    except DecodeError as error:
        return False, f"its value could not be read ({error})"
    if isinstance(actual, Unexportable):
        return False, f"gave an object of type {actual.type_name!r}, which cannot be compared"
    problem = mismatch(actual, expected, rel_tol=rel_tol)
    return (problem is None), (problem or "passed")


def score_checks(
    source: AssignmentSource, execution: Execution, expected: dict
) -> list[CheckResult]:
    results = []
    for spec in source.checks:
        passed, message = judge(
            spec.check_id,
            execution.exports.get(spec.check_id, []),
            expected[spec.check_id],
            spec.rel_tol,
        )
        results.append(CheckResult(spec.check_id, spec.grade_id, spec.hidden, passed, message))
    return results


def cell_scores(source: AssignmentSource, results: list[CheckResult]) -> dict[str, float | None]:
    """Points per graded cell: tests all-or-nothing on their checks; manual cells None."""
    scores: dict[str, float | None] = {}
    for cell in source.cells:
        if cell.kind == "test":
            own = [result for result in results if result.grade_id == cell.grade_id]
            scores[cell.grade_id] = cell.points if own and all(r.passed for r in own) else 0.0
        elif cell.kind == "manual":
            scores[cell.grade_id] = None
    return scores
