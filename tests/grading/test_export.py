"""Export: one row per student, a column per question, totals, summary table and plot."""

from __future__ import annotations

import csv
import dataclasses

import pytest

from coopcourse.grading.classroom import export, feedback
from coopcourse.grading.classroom.export import (
    PENDING,
    export_grades,
    student_rows,
    summarise,
    write_csv,
)
from coopcourse.grading.classroom.gradebook import open_gradebook
from coopcourse.grading.classroom.late import LatePolicy, LateRules
from coopcourse.grading.pipeline.source import load_assignment


@pytest.mark.slow
def test_grades_csv_summary_and_plot(graded_class):
    settings = graded_class.settings
    source = load_assignment(settings.source_dir, "fx_demo")
    students = ["good_right", "good_wrong", "good_partial", "good_untouched"]
    result = export_grades(settings, source, students)
    with result.grades_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["student_id"] for row in rows] == students
    columns = [
        "q1",
        "q2",
        "q3",
        "auto_total",
        "manual_total",
        "raw_total",
        "seconds_late",
        "late_penalty",
        "final_total",
        "max_score",
        "needs_manual_grading",
        "manual_pending",
        "sandboxed",
    ]
    assert list(rows[0])[2:-1] == columns
    assert {row["sandboxed"] for row in rows} == {"yes"}  # the class was graded in the sandbox
    right, wrong, partial, _ = rows
    assert (float(right["q1"]), float(right["q2"]), float(right["raw_total"])) == (3.0, 2.0, 5.0)
    assert (float(right["late_penalty"]), float(right["final_total"])) == (0.0, 5.0)
    assert float(partial["q1"]) == 2.0 and float(partial["q2"]) == 2.0
    assert float(wrong["final_total"]) == 1.0 and float(right["max_score"]) == 7.0
    assert int(right["needs_manual_grading"]) == 1  # the written answer q3
    # Not marked yet: pending, not zero.
    assert (right["q3"], right["manual_pending"]) == (PENDING, "q3")

    with result.summary_csv.open(encoding="utf-8") as handle:
        summary = {row["measure"]: float(row["value"]) for row in csv.DictReader(handle)}
    assert summary["mean total"] == 2.5 and summary["median total"] == 2.5
    assert summary["q1 success rate (full marks)"] == 0.25
    assert summary["q2 success rate (full marks)"] == 0.5
    assert summary["q3 pending (not marked yet)"] == 4  # nobody's written answer marked
    # Each check's pass rate, not only each question's full-marks share.
    assert summary["check fx_demo.q1.1 pass rate"] == 0.5  # right and partial
    assert summary["check fx_demo.q2.2 pass rate"] == 0.5
    assert {f"check fx_demo.q1.{n} pass rate" for n in (1, 2, 3)} <= set(summary)
    assert "median total" in result.summary_text

    png = result.plot_png.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


@pytest.mark.slow
def test_late_penalty_in_the_rows(graded_class, monkeypatch):
    settings = graded_class.settings
    source = load_assignment(settings.source_dir, "fx_demo")
    rules = LateRules(
        LatePolicy("per_day", deduction=0.1, cap=0.3), {"fx_demo": "2026-03-28 23:59"}
    )
    stamps = {
        "good_right": "2026-03-29 02:30:00.000000+01:00",  # 1 h 31 min late: one day
        "good_partial": "2026-03-28 23:59:00.000000+00:00",  # exactly on time
    }

    def stamp(_settings, student, _assignment, _record):
        return stamps.get(student)

    monkeypatch.setattr(export, "submission_timestamp", stamp)
    rows = {
        row["student_id"]: row
        for row in student_rows(settings, source, ["good_right", "good_partial"], rules=rules)
    }
    right, partial = rows["good_right"], rows["good_partial"]
    assert (right["seconds_late"], right["late_penalty"], right["final_total"]) == (5460, 0.7, 4.3)
    assert (partial["seconds_late"], partial["late_penalty"]) == (0, 0)
    assert partial["final_total"] == partial["raw_total"]

    # nbgrader's gradebook holds the same penalty, and the learner's feedback states it.
    with open_gradebook(settings) as gradebook:
        penalties = {
            student: gradebook.find_submission_notebook(
                "fx_demo", "fx_demo", student
            ).late_submission_penalty
            for student in stamps
        }
    assert penalties == {"good_right": 0.7, "good_partial": None}
    monkeypatch.setattr(feedback, "submission_timestamp", stamp)
    late_settings = dataclasses.replace(settings, late=rules)
    page = feedback.feedback_html(late_settings, source, "good_right")
    assert "1 h 31 min after the due date: late penalty <b>0.7</b> points" in page
    assert "<b>4.3 / 7</b>" in page
    assert "late penalty" not in feedback.feedback_html(late_settings, source, "good_partial")


@pytest.mark.slow
def test_roster_adds_non_submitters_and_lms_ids(graded_class, tmp_path):
    settings = graded_class.settings
    source = load_assignment(settings.source_dir, "fx_demo")
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_id\ngood_right,1001\nabsent_student,1002\n")
    result = export_grades(settings, source, ["good_right"], roster)
    with result.grades_csv.open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert sorted(rows) == ["absent_student", "good_right"]
    assert rows["absent_student"]["status"] == "not submitted"
    assert float(rows["absent_student"]["final_total"]) == 0
    assert (rows["good_right"]["lms_id"], rows["absent_student"]["lms_id"]) == ("1001", "1002")


@pytest.mark.parametrize(
    "hostile", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
)
def test_learner_text_cannot_become_a_spreadsheet_formula(tmp_path, hostile):
    path = tmp_path / "grades.csv"
    write_csv(path, ["student_id", "total"], [{"student_id": hostile, "total": -1.5}])
    with path.open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["student_id"] == "'" + hostile
    assert row["total"] == "-1.5"  # numbers are numbers, not text to neutralise


def test_ordinary_text_is_written_as_it_is(tmp_path):
    path = tmp_path / "grades.csv"
    write_csv(path, ["student_id"], [{"student_id": "ab123"}])
    assert path.read_text(encoding="utf-8").splitlines() == ["student_id", "ab123"]


def _row(student, q1, q3, final, late=0, penalty=0.0):
    return {
        "student_id": student,
        "q1": q1,
        "q3": q3,
        "final_total": final,
        "seconds_late": late,
        "late_penalty": penalty,
    }


class _Source:
    """Just enough of an AssignmentSource for the summary."""

    max_score = 5.0

    class _Cell:
        def __init__(self, grade_id, kind, points):
            self.grade_id, self.kind, self.points, self.checks = grade_id, kind, points, []

    cells = [_Cell("q1_tests", "test", 3.0), _Cell("q3_answer", "manual", 2.0)]


def test_summary_leaves_pending_answers_out_of_the_success_rate():
    rows = [
        _row("a", 3.0, 2.0, 5.0),
        _row("b", 0.0, PENDING, 0.0),
        _row("c", 3.0, 0.0, 2.0, late=3600, penalty=1.0),
        _row("d", 3.0, PENDING, 3.0),
    ]
    summary = {
        item["measure"]: item["value"]
        for item in summarise(
            _Source,
            rows,
            {
                "a.q1.1": (3, 4),
                "a.q1.2": (0, 0),
            },
        )
    }
    assert summary["q3 success rate (full marks)"] == 0.5  # a and c marked; a full
    assert summary["q3 pending (not marked yet)"] == 2
    assert summary["q1 success rate (full marks)"] == 0.75
    assert (summary["late submissions"], summary["late penalties (points, total)"]) == (1, 1.0)
    assert summary["check a.q1.1 pass rate"] == 0.75
    assert summary["check a.q1.2 pass rate"] == 0.0  # no graded submission yet
    assert summary["mean total"] == 2.5


def test_summary_counts_ungraded_submissions_apart_from_the_marks():
    ungraded = {**_row("u", "", "", ""), "status": "not graded", "late_penalty": ""}
    rows = [{**_row("a", 3.0, 2.0, 5.0), "status": "graded"}, ungraded]
    summary = {item["measure"]: item["value"] for item in summarise(_Source, rows)}
    assert summary["students"] == 2
    assert summary["not graded (run autograde first)"] == 1
    assert (summary["mean total"], summary["q1 success rate (full marks)"]) == (5.0, 1.0)
    assert summary["q3 pending (not marked yet)"] == 0  # not graded is not pending


def test_columns_are_the_course_assignments_questions():
    """Grade ids such as q4-answer (the course) and q3_answer (nbgrader's style) both
    name their question first: the capstone's columns are q1 to q6."""
    from pathlib import Path

    from coopcourse.grading.classroom.export import questions

    root = Path(__file__).resolve().parents[2]
    capstone = questions(load_assignment(root / "solutions", "a5_capstone"))
    assert list(capstone) == ["q1", "q2", "q3", "q4", "q5", "q6"]
    assert sum(entry["max"] for entry in capstone.values()) == 28
    assert capstone["q4"] == {"cells": ["q4-answer"], "max": 6.0, "manual": True}
