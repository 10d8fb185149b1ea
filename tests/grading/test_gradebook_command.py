"""Late-work settings in nbgrader_config.py and ``coopcourse class gradebook`` (no grading)."""

from __future__ import annotations

import csv

import pytest

from coopcourse.grading import sample_course
from coopcourse.grading.classroom.late import LatePolicy
from coopcourse.grading.cli import main
from coopcourse.grading.settings import ConfigError, load_settings

LATE = """
c.CourseGrader.time_zone = "Europe/London"
c.CourseGrader.due_dates = {"fx_demo": "2026-03-28 23:59"}
c.CourseGrader.late_penalty = "per_day"
c.CourseGrader.late_deduction = 0.1
c.CourseGrader.late_cap = 0.3
c.CourseGrader.late_grace_minutes = 10
"""


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    sample_course.make_course(root)
    return root


def test_late_settings_are_read_from_the_config(course):
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as handle:
        handle.write(LATE)
    late = load_settings(course).late
    assert late.policy == LatePolicy("per_day", 0.1, "share", 0.3, 10)
    assert late.due("fx_demo").isoformat() == "2026-03-28T23:59:00+00:00"


@pytest.mark.parametrize(
    "line, named",
    [
        ('c.CourseGrader.late_penalty = "per_week"', "late_penalty"),
        ('c.CourseGrader.late_deduction = "a lot"', "late_deduction"),
        ('c.CourseGrader.due_dates = {"fx_demo": "soon"}', "due date of fx_demo"),
        ('c.CourseGrader.time_zone = "Mars/Olympus"', "time zone"),
    ],
)
def test_bad_late_settings_stop_with_a_message(course, line, named):
    with (course / "nbgrader_config.py").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    with pytest.raises(ConfigError, match=named):
        load_settings(course)


def test_gradebook_command_writes_the_course_and_lms_files(course, tmp_path, capsys):
    sample_course.write_submission(
        course, "jdoe", sample_course.student_notebook(course, sample_course.RIGHT)
    )
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_id,name\njdoe,1234,Jane Doe\nsroe,5678,Sam Roe\n")
    assert main(["gradebook", "--course", str(course), "--roster", str(roster)]) == 0
    out = capsys.readouterr().out
    assert "fx_demo: weight 1 (100.0%), out of 7" in out
    export = course / "export"
    rows = list(csv.DictReader((export / "course_gradebook.csv").open(encoding="utf-8")))
    # Submitted but not graded yet: pending, never zero.
    assert [(r["student_id"], r["fx_demo"], r["final_mark"]) for r in rows] == [
        ("jdoe", "pending", "pending"),
        ("sroe", "pending", "pending"),
    ]
    assert (export / "canvas_import.csv").exists() and (export / "moodle_import.csv").exists()
