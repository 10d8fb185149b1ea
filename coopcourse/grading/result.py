"""The result of grading one submission: made once by the pipeline, read by every later stage.

The gradebook writer, feedback, export and ``coopcourse class status`` all read
a :class:`GradingResult`; it is stored as JSON beside the autograded notebook so
a later run can reuse it. A stored result that is damaged or from another
format is treated as missing, and the submission is graded again.
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
    message: str  # for graders; feedback shortens it for hidden checks


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
            if set(data) != known:
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
