"""The result of grading one submission: made once by the pipeline, read by every later stage.

The gradebook writer, feedback, export and ``coopcourse class status`` all read
a :class:`GradingResult`; it is stored as JSON beside the autograded notebook so
a later run can reuse it. A stored result that is damaged, badly typed or from
another format is treated as missing: ``coopcourse class autograde`` grades the
submission again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

RESULT_FORMAT = 2

GRADED, UNREADABLE, ERROR = "graded", "unreadable", "error"


@dataclass(frozen=True)
class ScoredCheck:
    check_id: str
    grade_id: str
    hidden: bool
    passed: bool
    message: str  # for graders; feedback sums hidden checks up per question without it


@dataclass
class GradingResult:
    student: str
    assignment: str
    # Points per graded cell: tests scored, hand-marked cells None until a grader marks them.
    scores: dict[str, float | None]
    max_score: float
    status: str = GRADED  # GRADED, UNREADABLE (nothing could be read) or ERROR (grader's fault)
    attempts: int = 1
    fingerprint: str = ""  # of the submission, source and package; unchanged means reusable
    timestamp: str | None = None  # when it was handed in, as timestamp.txt says
    problems: list[str] = field(default_factory=list)  # everything, for the instructor
    # What the learner's feedback may show (problems after a hidden test are summed up).
    learner_problems: list[str] = field(default_factory=list)
    checks: list[ScoredCheck] = field(default_factory=list)
    no_response: list[str] = field(default_factory=list)  # answer cells left as released
    solution_ids: list[str] = field(default_factory=list)  # answer and hand-marked cells
    tampering: list[str] = field(default_factory=list)
    sandboxed: bool = True
    seconds: float = 0.0

    @property
    def total(self) -> float:
        return sum(score or 0.0 for score in self.scores.values())

    @property
    def troubled(self) -> bool:
        """Whether an instructor should look at this result."""
        return bool(self.problems) or self.status != GRADED

    def passed_check_ids(self) -> set[str]:
        return {check.check_id for check in self.checks if check.passed}

    def to_json(self) -> str:
        # ASCII escapes: a learner's file name may hold text UTF-8 cannot encode.
        return json.dumps({"format": RESULT_FORMAT, **asdict(self)}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> GradingResult | None:
        """The stored result, or None if it is damaged or in another format."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.pop("format", None) != RESULT_FORMAT:
                return None
            known = {f.name for f in fields(cls)}
            if set(data) != known or not _well_typed(data):
                return None
            data["checks"] = [ScoredCheck(**check) for check in data["checks"]]
            return cls(**data)
        except (ValueError, TypeError):
            return None

    @classmethod
    def read(cls, path: Path) -> GradingResult | None:
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _well_typed(data: dict) -> bool:
    """Whether a stored result's fields have the types a GradingResult holds (a file
    edited by hand, or damaged, is treated as missing rather than crashing later)."""
    checks_ok = isinstance(data["checks"], list) and all(
        isinstance(check, dict)
        and {f.name for f in fields(ScoredCheck)} == set(check)
        and all(isinstance(check[name], str) for name in ("check_id", "grade_id", "message"))
        and all(isinstance(check[name], bool) for name in ("hidden", "passed"))
        for check in data["checks"]
    )
    return (
        checks_ok
        and all(isinstance(data[name], str) for name in ("student", "assignment", "status"))
        and isinstance(data["fingerprint"], str)
        and (data["timestamp"] is None or isinstance(data["timestamp"], str))
        and isinstance(data["scores"], dict)
        and all(
            isinstance(key, str) and (score is None or _is_number(score))
            for key, score in data["scores"].items()
        )
        and _is_number(data["max_score"])
        and _is_number(data["seconds"])
        and isinstance(data["attempts"], int)
        and not isinstance(data["attempts"], bool)
        and isinstance(data["sandboxed"], bool)
        and all(
            _is_texts(data[name])
            for name in ("problems", "learner_problems", "no_response", "solution_ids", "tampering")
        )
    )
