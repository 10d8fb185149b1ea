"""The result of grading one submission: made once by the pipeline, read by every later stage.

The gradebook writer, feedback, export and ``coopcourse class status`` all read
a :class:`GradingResult`; it is stored as JSON beside the autograded notebook so
a later run can reuse it. A stored result that is damaged, badly typed (judged by
the dataclasses' own annotations), of an unknown status or from another format
is treated as missing:
``coopcourse class autograde`` grades the submission again.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

RESULT_FORMAT = 2

GRADED, UNREADABLE, ERROR = "graded", "unreadable", "error"
STATUSES = (GRADED, UNREADABLE, ERROR)


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
        """The stored result, or None if it is damaged, badly typed or in another format
        (a file edited by hand reads as missing rather than crashing a later stage)."""
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.pop("format", None) != RESULT_FORMAT:
                return None
            result = _load(cls, data, "result")
        except (ValueError, TypeError, RecursionError):  # RecursionError: absurdly nested JSON
            return None
        # Every later stage decides by status (marks or none): an unknown one is no result.
        return result if result.status in STATUSES else None

    @classmethod
    def read(cls, path: Path) -> GradingResult | None:
        try:
            return cls.from_json(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return None


@functools.cache
def _field_types(cls: type) -> dict[str, object]:
    return typing.get_type_hints(cls)


def _load(hint: object, value: object, where: str):
    """``value``, read from JSON, as the annotation ``hint`` says it must be, with
    nested dataclasses built; TypeError if it does not fit.

    The dataclasses' own annotations are the only statement of a stored field's
    type, so a new field is checked as soon as it is declared. Forms understood:
    str, int, float, bool, None, list[X], dict[K, V], X | Y and dataclasses.
    """
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if dataclasses.is_dataclass(hint):
        names = {f.name for f in fields(hint)}
        if not isinstance(value, dict) or set(value) != names:
            raise TypeError(f"{where}: expected exactly the fields {sorted(names)}")
        declared = _field_types(hint)
        return hint(
            **{name: _load(declared[name], value[name], f"{where}.{name}") for name in names}
        )
    if origin in (types.UnionType, typing.Union):
        for option in arguments:
            try:
                return _load(option, value, where)
            except TypeError:
                continue
        raise TypeError(f"{where}: expected {hint}")
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"{where}: expected a list")
        return [_load(arguments[0], item, f"{where}[{i}]") for i, item in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise TypeError(f"{where}: expected a dict")
        key_type, item_type = arguments
        return {
            _load(key_type, key, f"{where} key"): _load(item_type, item, f"{where}[{key!r}]")
            for key, item in value.items()
        }
    if hint not in _SCALARS:
        # Not a damaged file but a field declared with a form this reader lacks.
        raise NotImplementedError(f"{where}: stored results cannot hold a {hint!r}")
    if not _SCALARS[hint](value):
        raise TypeError(f"{where}: expected {getattr(hint, '__name__', hint)}")
    return value


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# JSON has one number type and true/false: an int field takes no float or bool,
# a float field takes an int (3 is written for 3.0) but no bool.
_SCALARS = {
    str: lambda value: isinstance(value, str),
    bool: lambda value: isinstance(value, bool),
    int: lambda value: isinstance(value, int) and not isinstance(value, bool),
    float: _is_number,
    type(None): lambda value: value is None,
}
