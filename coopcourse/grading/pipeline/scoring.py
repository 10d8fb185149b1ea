"""Turn exported values into scores: a check scores only on positive evidence.

A check passes when it was exported exactly once on the sentry's signed channel
and the recorded value matches the expected value under the strict rule of
:func:`coopcourse.grading.checks.mismatch`. A missing export, an error, a
duplicate or a crafted object fails. A test cell's points are shared equally
among its checks, so one missed edge case does not zero a question.
"""

from __future__ import annotations

import marshal

from coopcourse.grading.checks import mismatch
from coopcourse.grading.pipeline.source import AssignmentSource
from coopcourse.grading.result import ScoredCheck
from coopcourse.grading.sandbox.execute import Execution
from coopcourse.grading.sandbox.values import DecodeError, decode

MESSAGES = {
    "unsupported": "gave a value that is not made only of None, bool, int, float, str, "
    "list, tuple, dict, set and frozenset, so it cannot be compared",
    "too-large": "gave a value too large to compare",
}


DECODE_FLOOR_BYTES = 64 * 1024
DECODE_FACTOR = 20


def decode_limit(expected) -> int:
    """The largest encoded value worth decoding for a check expecting ``expected``."""
    return max(DECODE_FLOOR_BYTES, DECODE_FACTOR * len(marshal.dumps(expected, 2)))


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
    if len(export.value) > decode_limit(expected):
        # Cheap to send, slow to decode (millions of items, colliding hashes): a value
        # this much larger than the expected one cannot match it.
        return False, "gave a value far larger than the expected one"
    try:
        actual = decode(export.value)
    except DecodeError:
        return False, "its value could not be read"
    problem = mismatch(actual, expected, rel_tol=rel_tol)
    return (problem is None), (problem or "passed")


TAMPERED = "not graded: the notebook tampered with grading before this test"


def score_checks(
    source: AssignmentSource, execution: Execution, expected: dict
) -> list[ScoredCheck]:
    """Each check's result; tests at or after the first tampering score nothing."""
    results = []
    for spec in source.checks:
        if spec.grade_id in execution.tampered_tests:
            results.append(ScoredCheck(spec.check_id, spec.grade_id, spec.hidden, False, TAMPERED))
            continue
        passed, message = judge(
            spec.check_id,
            execution.exports.get(spec.check_id, []),
            expected[spec.check_id],
            spec.rel_tol,
        )
        results.append(ScoredCheck(spec.check_id, spec.grade_id, spec.hidden, passed, message))
    return results


def share_of_points(points: float, passed: int, checks: int) -> float:
    """A test cell's points shared equally among its checks (to 2 decimal places)."""
    if checks <= 0 or passed <= 0:
        return 0.0
    if passed >= checks:
        return float(points)
    return round(points * passed / checks, 2)


def cell_scores(source: AssignmentSource, results: list[ScoredCheck]) -> dict[str, float | None]:
    """Points per graded cell: a test cell's points shared among its checks, so part-right
    work earns part of them; manual cells None (marked by hand)."""
    scores: dict[str, float | None] = {}
    for cell in source.cells:
        if cell.kind == "test":
            own = [result for result in results if result.grade_id == cell.grade_id]
            passed = sum(1 for result in own if result.passed)
            scores[cell.grade_id] = share_of_points(cell.points, passed, len(cell.checks))
        elif cell.kind == "manual":
            scores[cell.grade_id] = None
    return scores
