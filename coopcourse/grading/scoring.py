"""Turn exported values into scores: a test cell scores only on positive evidence.

A test cell earns its points when every one of its checks was exported exactly
once on the sentry's signed channel, and the recorded value matches the expected value
under the strict rule of :func:`coopcourse.grading.checks.mismatch`. A missing
export, an error, a duplicate or a crafted object scores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from coopcourse.grading.checks import mismatch
from coopcourse.grading.execute import Execution
from coopcourse.grading.source import AssignmentSource
from coopcourse.grading.values import DecodeError, decode


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    grade_id: str
    hidden: bool
    passed: bool
    message: str  # for graders; feedback shortens it for hidden checks


MESSAGES = {
    "unsupported": "gave a value that is not made only of None, bool, int, float, str, "
    "list, tuple, dict, set and frozenset, so it cannot be compared",
    "too-large": "gave a value too large to compare",
}


def judge(check_id: str, exports, expected, rel_tol: float) -> tuple[bool, str]:
    """Passed, and a message made only of the grader's own words (feedback shows it)."""
    if not exports:
        return False, "did not run (an earlier error or a stopped kernel)"
    if len(exports) > 1:
        return False, "was reported more than once"
    export = exports[0]
    if export.status == "error":
        return False, f"raised {export.detail}"
    if export.status != "value":
        return False, MESSAGES.get(export.status, "gave no value")
    try:
        actual = decode(export.value)
    except DecodeError:
        return False, "its value could not be read"
    problem = mismatch(actual, expected, rel_tol=rel_tol)
    return (problem is None), (problem or "passed")


TAMPERED = "not graded: the notebook tampered with grading before this test"


def score_checks(
    source: AssignmentSource, execution: Execution, expected: dict
) -> list[CheckResult]:
    """Each check's result; tests at or after the first tampering score nothing."""
    results = []
    for spec in source.checks:
        if spec.grade_id in execution.tampered_tests:
            results.append(CheckResult(spec.check_id, spec.grade_id, spec.hidden, False, TAMPERED))
            continue
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
