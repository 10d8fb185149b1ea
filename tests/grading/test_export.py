"""Export: one row per student, a column per question, totals, summary table and plot."""

from __future__ import annotations

import csv

import pytest

from coopcourse.grading.export import export_grades, write_csv
from coopcourse.grading.source import load_assignment

pytestmark = pytest.mark.slow


def test_grades_csv_summary_and_plot(graded_class):
    settings = graded_class.settings
    source = load_assignment(settings.source_dir, "fx_demo")
    students = ["good_right", "good_wrong", "good_partial", "good_untouched"]
    result = export_grades(settings, source, students)
    with result.grades_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["student_id"] for row in rows] == students
    columns = {"q1", "q2", "q3", "auto_total", "manual_total", "total", "max_score", "seconds_late"}
    assert columns <= set(rows[0])
    right, wrong, partial, _ = rows
    assert (float(right["q1"]), float(right["q2"]), float(right["total"])) == (3.0, 2.0, 5.0)
    assert float(partial["q1"]) == 1.0 and float(partial["q2"]) == 2.0
    assert float(wrong["total"]) == 0 and float(right["max_score"]) == 7.0
    assert int(right["needs_manual_grading"]) == 1  # the written answer q3

    with result.summary_csv.open(encoding="utf-8") as handle:
        summary = {row["measure"]: float(row["value"]) for row in csv.DictReader(handle)}
    assert summary["mean total"] == 2.0 and summary["median total"] == 1.5
    assert summary["q1 success rate (full marks)"] == 0.25
    assert summary["q2 success rate (full marks)"] == 0.5
    assert "median total" in result.summary_text

    png = result.plot_png.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


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
    assert float(rows["absent_student"]["total"]) == 0
    assert (rows["good_right"]["lms_id"], rows["absent_student"]["lms_id"]) == ("1001", "1002")


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)",
                                     "\t=1", "\r=1"])
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
