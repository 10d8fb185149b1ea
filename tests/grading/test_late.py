"""Late work: times in the course's time zone and penalties with nbgrader's semantics."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coopcourse.grading.classroom.late import (
    LateConfigError,
    LatePolicy,
    LateRules,
    assess,
    format_timestamp,
    late_penalty,
    local_time,
    parse_time,
    seconds_late,
)

HOUR, DAY = 3600, 86400
PER_HOUR = LatePolicy("per_hour", deduction=0.05)  # 5 % of the points per started hour
PER_DAY_POINTS = LatePolicy("per_day", deduction=2, unit="points", cap=6)


def test_no_penalty_when_on_time_or_method_none():
    assert late_penalty(PER_HOUR, 8, 10, 0) == 0
    assert late_penalty(LatePolicy(), 8, 10, 5 * DAY) == 0


def test_per_hour_share_counts_every_started_hour():
    assert late_penalty(PER_HOUR, 8, 10, 1) == 0.5  # one second late: one hour
    assert late_penalty(PER_HOUR, 8, 10, HOUR) == 0.5
    assert late_penalty(PER_HOUR, 8, 10, HOUR + 1) == 1.0
    assert late_penalty(PER_HOUR, 8, 10, 3 * HOUR) == 1.5


def test_per_day_points_and_the_cap():
    assert late_penalty(PER_DAY_POINTS, 9, 10, 2 * HOUR) == 2
    assert late_penalty(PER_DAY_POINTS, 9, 10, DAY + 1) == 4
    assert late_penalty(PER_DAY_POINTS, 9, 10, 10 * DAY) == 6  # capped at 6 points
    capped_share = LatePolicy("per_day", deduction=0.1, cap=0.3)
    assert late_penalty(capped_share, 20, 20, 30 * DAY) == 6.0  # 30 % of 20 points


def test_penalty_never_exceeds_the_score_and_zero_method():
    assert late_penalty(PER_DAY_POINTS, 1.5, 10, 3 * DAY) == 1.5
    assert late_penalty(LatePolicy("zero"), 7, 10, 1) == 7
    assert late_penalty(LatePolicy("zero"), 7, 10, 0) == 0


def test_grace_period_forgives_up_to_its_length_then_counts_from_the_due_date():
    policy = LatePolicy("per_hour", deduction=1, unit="points", grace_minutes=15)
    assert late_penalty(policy, 10, 10, 15 * 60) == 0
    assert late_penalty(policy, 10, 10, 15 * 60 + 1) == 1
    assert late_penalty(policy, 10, 10, 61 * 60) == 2


def test_bad_settings_are_refused():
    with pytest.raises(LateConfigError):
        LatePolicy("per_week")
    with pytest.raises(LateConfigError):
        LatePolicy("per_day", unit="percent")
    with pytest.raises(LateConfigError, match="a1_policy"):
        LateRules(due_dates={"a1_policy": "next Tuesday"})
    with pytest.raises(LateConfigError, match="time zone"):
        LateRules(time_zone="Europe/Atlantis")


def test_exactly_on_time_is_not_late():
    rules = LateRules(PER_HOUR, {"a1_policy": "2026-01-15 12:00"})
    on_time = assess(rules, "a1_policy", "2026-01-15 12:00:00.000000 Europe/London", 8, 10)
    assert (on_time.seconds_late, on_time.penalty) == (0, 0)
    early = assess(rules, "a1_policy", "2026-01-15 11:59:59.999999 Europe/London", 8, 10)
    assert early.seconds_late == 0
    late = assess(rules, "a1_policy", "2026-01-15 12:00:00.000001 Europe/London", 8, 10)
    assert late.seconds_late > 0 and late.penalty == 0.5


# ---- the clocks change: UK spring forward 29 March 2026 01:00 GMT, back 25 October 02:00 BST


def test_spring_forward_deadline_just_before_the_change():
    rules = LateRules(PER_HOUR, {"a2": "2026-03-28 23:59"})  # Saturday, GMT
    # 00:30 on Sunday is still GMT (the clocks go forward at 01:00): 31 minutes late.
    result = assess(rules, "a2", "2026-03-29 00:30:00.000000 Europe/London", 10, 10)
    assert result.seconds_late == 31 * 60 and result.penalty == 0.5
    # 02:30 BST is 01:30 UTC: 1 h 31 min late, though the wall clock moved 2 h 31 min.
    result = assess(rules, "a2", "2026-03-29 02:30:00.000000 Europe/London", 10, 10)
    assert result.seconds_late == 91 * 60 and result.penalty == 1.0


def test_spring_forward_zip_time_read_as_local_time():
    due = parse_time("2026-03-29 23:59", "Europe/London")  # BST, 22:59 UTC
    assert due.astimezone(UTC) == datetime(2026, 3, 29, 22, 59, tzinfo=UTC)
    on_time = local_time(datetime(2026, 3, 29, 23, 30))  # a zip entry's naive time
    assert seconds_late(on_time, due) == 0  # read as UTC it would be 31 minutes late


def test_autumn_deadline_across_the_change():
    rules = LateRules(PER_HOUR, {"a4": "2026-10-24 23:59"})  # Saturday, BST (22:59 UTC)
    # 03:00 GMT on Sunday is 03:00 UTC: 4 h 1 min late, the wall clock says 3 h 1 min.
    result = assess(rules, "a4", "2026-10-25 03:00:00.000000 Europe/London", 10, 10)
    assert result.seconds_late == (4 * 60 + 1) * 60 and result.penalty == 2.5


def test_autumn_repeated_hour_reads_as_the_earlier_instant():
    stamp = local_time(datetime(2026, 10, 25, 1, 30))  # happens twice
    assert stamp.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # BST reading
    due = parse_time("2026-10-25 01:00", "Europe/London")
    assert seconds_late(stamp, due) == 30 * 60


def test_timestamp_round_trip_and_nbgrader_reads_the_same_instant():
    from nbgrader.utils import parse_utc

    moment = local_time(datetime(2026, 3, 29, 2, 30))
    text = format_timestamp(moment)
    assert text == "2026-03-29 02:30:00.000000+01:00"
    assert parse_time(text) == moment
    assert parse_utc(text) == datetime(2026, 3, 29, 1, 30)  # nbgrader: naive UTC
    # nbgrader's documented form, with a zone name, is read the same way.
    assert parse_time("2026-03-29 02:30:00.000000 Europe/London") == moment
    # The hour the clocks go back happens twice; the offset tells the two apart.
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert format_timestamp(second) == "2026-10-25 01:30:00.000000+00:00"
    assert parse_time(format_timestamp(second)) == second
    assert parse_utc(format_timestamp(second)) == datetime(2026, 10, 25, 1, 30)
    # timestamp.txt files written before this change said UTC; they still read right.
    assert parse_time("2026-03-01 09:30:00.000000 UTC").tzinfo is UTC


def test_without_a_configured_due_date_nbgrader_lateness_is_used():
    rules = LateRules(PER_DAY_POINTS)
    result = assess(rules, "a5", "2026-05-01 10:00:00 Europe/London", 9, 10, fallback_seconds=90)
    assert (result.seconds_late, result.penalty) == (90, 2)
