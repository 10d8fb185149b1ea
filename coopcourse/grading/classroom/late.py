"""Late work: submission times in the course's time zone, and the late penalty.

Times
    LMS zips store each entry's time as a naive *local* time (the zip format has
    no time zone), so a zip time is read in the course's time zone
    (``Europe/London`` unless configured). Folder mtimes are absolute and are
    shown in the same zone. ``timestamp.txt`` holds the local time with its UTC
    offset (``2026-03-29 02:30:00.000000+01:00``), which nbgrader reads as the
    same instant; nbgrader's documented form with a zone name
    (``... Europe/London``) is read too.

    Lateness is always computed between instants (UTC), never between wall-clock
    readings, so a deadline across a change of the clocks counts the hours that
    really passed. A local time that happens twice (the hour the clocks go back)
    is read as its first occurrence, the earlier instant, which is the reading
    more favourable to the learner; a local time that never happens (the hour the
    clocks go forward) is read with the offset in force before the change.

Penalty (the semantics of nbgrader's ``LateSubmissionPlugin``)
    The penalty is a number of points taken off the score; there is none unless
    the submission is late (``seconds_late > 0``), and it never exceeds the score
    (nbgrader's ``zero`` method is "penalty = score"). Methods:

    - ``none``: never a penalty (lateness is still reported);
    - ``zero``: a late submission scores zero;
    - ``per_hour`` / ``per_day``: ``deduction`` for every started hour or day
      after the due date (so 1 second late is one hour or day), as a share of
      the assignment's points (``unit = "share"``, 0.05 = 5 %) or as points
      (``unit = "points"``), at most ``cap`` (same unit; ``None`` = no cap).

    A grace period (minutes) forgives lateness up to its length; beyond it,
    lateness counts from the due date itself, not from the end of the grace.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import parser as dateutil_parser

DEFAULT_TIME_ZONE = "Europe/London"
METHODS = ("none", "zero", "per_hour", "per_day")
UNITS = ("share", "points")
UNIT_SECONDS = {"per_hour": 3600, "per_day": 86400}


class LateConfigError(ValueError):
    """A late-work setting (method, unit, due date, time zone) cannot be used."""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise LateConfigError(
            f"unknown time zone {name!r} (use a name like 'Europe/London')"
        ) from None


def local_time(naive: datetime, time_zone: str = DEFAULT_TIME_ZONE) -> datetime:
    """A naive local reading (a zip entry's time) as an aware time in ``time_zone``."""
    return naive.replace(tzinfo=zone(time_zone), fold=0)


def from_epoch(seconds: float, time_zone: str = DEFAULT_TIME_ZONE) -> datetime:
    """A file's mtime (an instant) shown in ``time_zone``."""
    return datetime.fromtimestamp(seconds, tz=zone(time_zone))


def format_timestamp(moment: datetime, time_zone: str = DEFAULT_TIME_ZONE) -> str:
    """``moment`` as a timestamp.txt line: local time in ``time_zone`` with its UTC offset.

    ``2026-10-25 01:30:00.000000+00:00``: the offset keeps the hour the clocks go
    back unambiguous (a zone name would not), and nbgrader reads this form too.
    """
    local = moment.astimezone(zone(time_zone))
    offset = local.strftime("%z")
    return f"{local.strftime('%Y-%m-%d %H:%M:%S.%f')}{offset[:3]}:{offset[3:]}"


_OFFSET = re.compile(r"^[+-]\d{2}:?\d{2}$")


def parse_time(text: str, time_zone: str = DEFAULT_TIME_ZONE) -> datetime:
    """An aware time from a due date or a timestamp.txt line.

    Accepts ``YYYY-MM-DD HH:MM[:SS[.ffffff]]`` optionally followed by a zone name
    (``Europe/London``, ``UTC``) or written in ISO 8601 with an offset; a time
    without a zone is local time in ``time_zone``.
    """
    text = text.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is not None:
        return parsed if parsed.tzinfo else local_time(parsed, time_zone)
    head, _, tail = text.rpartition(" ")
    if head:
        if tail.upper() in ("UTC", "GMT", "Z"):
            return datetime.fromisoformat(head).replace(tzinfo=UTC)
        if _OFFSET.match(tail):
            return datetime.fromisoformat(head + tail)
        try:
            return datetime.fromisoformat(head).replace(tzinfo=zone(tail), fold=0)
        except ValueError as error:
            raise LateConfigError(f"cannot read the time {text!r} ({error})") from None
    raise LateConfigError(f"cannot read the time {text!r}; write e.g. '2026-03-28 23:59'")


def seconds_late(submitted: datetime, due: datetime) -> float:
    """Seconds between the due date and the submission (0 if on time), in real time.

    Both are turned into UTC first: Python subtracts two times of the same zone
    by their wall-clock readings, which would be an hour off across a change
    of the clocks.
    """
    delta = submitted.astimezone(UTC) - due.astimezone(UTC)
    return max(0.0, delta.total_seconds())


@dataclass(frozen=True)
class LatePolicy:
    method: str = "none"
    deduction: float = 0.0
    unit: str = "share"
    cap: float | None = None
    grace_minutes: float = 0.0

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise LateConfigError(f"late penalty method {self.method!r}: use one of {METHODS}")
        if self.unit not in UNITS:
            raise LateConfigError(f"late penalty unit {self.unit!r}: use one of {UNITS}")
        if self.deduction < 0 or (self.cap is not None and self.cap < 0):
            raise LateConfigError("late penalty deduction and cap cannot be negative")
        if self.grace_minutes < 0:
            raise LateConfigError("the grace period cannot be negative")

    def describe(self) -> str:
        if self.method == "none":
            return "no late penalty"
        grace = f" after a grace period of {self.grace_minutes:g} min" if self.grace_minutes else ""
        if self.method == "zero":
            return f"late work scores zero{grace}"
        amount = (
            f"{self.deduction * 100:g}% of the points"
            if self.unit == "share"
            else f"{self.deduction:g} points"
        )
        cap = ""
        if self.cap is not None:
            most = f"{self.cap * 100:g}%" if self.unit == "share" else f"{self.cap:g} points"
            cap = f", at most {most}"
        per = "hour" if self.method == "per_hour" else "day"
        return f"{amount} per started {per} late{cap}{grace}"


def late_penalty(policy: LatePolicy, score: float, max_score: float, late: float) -> float:
    """Points taken off ``score`` for a submission ``late`` seconds after the due date."""
    if late <= 0 or policy.method == "none" or late <= policy.grace_minutes * 60:
        return 0.0
    if policy.method == "zero":
        return max(score, 0.0)
    units = math.ceil(late / UNIT_SECONDS[policy.method])
    amount = units * policy.deduction
    if policy.cap is not None:
        amount = min(amount, policy.cap)
    points = amount * max_score if policy.unit == "share" else amount
    return round(min(max(points, 0.0), max(score, 0.0)), 6)


@dataclass(frozen=True)
class LateRules:
    """The course's late-work rules: policy, due dates and time zone."""

    policy: LatePolicy = field(default_factory=LatePolicy)
    due_dates: dict[str, str] = field(default_factory=dict)  # assignment -> local time
    time_zone: str = DEFAULT_TIME_ZONE

    def __post_init__(self) -> None:
        zone(self.time_zone)
        for assignment in self.due_dates:
            self.due(assignment)  # fail early on a date that cannot be read

    def due(self, assignment: str) -> datetime | None:
        text = self.due_dates.get(assignment)
        if not text:
            return None
        try:
            return parse_time(text, self.time_zone)
        except LateConfigError as error:
            raise LateConfigError(f"due date of {assignment}: {error}") from None


@dataclass(frozen=True)
class Lateness:
    seconds_late: float
    penalty: float

    @property
    def described(self) -> str:
        return str(timedelta(seconds=round(self.seconds_late)))


def assess(
    rules: LateRules,
    assignment: str,
    timestamp: str | None,
    score: float,
    max_score: float,
    fallback_seconds: float = 0.0,
) -> Lateness:
    """Lateness and penalty of one submission.

    ``timestamp`` is the submission's timestamp.txt text; without a due date in
    the course settings, ``fallback_seconds`` (nbgrader's own ``seconds late``,
    from the due date set in formgrader) is used.
    """
    due = rules.due(assignment)
    late = float(fallback_seconds or 0)
    if due is not None and timestamp:
        late = seconds_late(parse_time(timestamp, rules.time_zone), due)
    elif due is not None:
        late = 0.0
    return Lateness(late, late_penalty(rules.policy, score, max_score, late))


def course_rules(settings) -> LateRules:
    """The late-work rules of a course's settings (none configured: no penalty)."""
    rules = getattr(settings, "late", None)
    return rules if isinstance(rules, LateRules) else LateRules()


def read_timestamp_file(folder) -> str | None:
    """A submission folder's timestamp.txt, if it holds a time nbgrader can read (a
    damaged one is ignored: it must never stop the gradebook, and with it the class run)."""
    stamp = folder / "timestamp.txt"
    if not stamp.is_file():
        return None
    try:
        text = stamp.read_text(encoding="utf-8").strip()[:100]
        dateutil_parser.parse(text)
    except (OSError, UnicodeDecodeError, ValueError, OverflowError):
        return None
    return text or None


def submission_timestamp(settings, student: str, assignment: str, result) -> str | None:
    """The submission's time as collected: from its grading result, else timestamp.txt."""
    if result is not None and result.timestamp:
        return result.timestamp
    return read_timestamp_file(settings.folder("submitted", student, assignment))
