"""Feedback and export before autograde: a submission without a readable grading
result is reported as not graded, with the command to run, and never shows marks.

The course here is never graded: results are written by hand (no kernels).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.classroom.gradebook import open_gradebook, record_result
from coopcourse.grading.classroom.nbgrader_bridge import sync_gradebook
from coopcourse.grading.cli import main
from coopcourse.grading.pipeline.grade import Job, result_path, submission_fingerprint
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.grading.result import GradingResult
from coopcourse.grading.settings import load_settings

A = sample.ASSIGNMENT
AUTOGRADE = f"run `coopcourse class autograde {A}` first"
HANDED_IN_AGAIN = "graded before its latest change"


def _result(root: Path, student: str, q2_points: float) -> GradingResult:
    """A result made from the student's submission as it is now."""
    settings = load_settings(root)
    source = load_assignment(settings.source_dir, A)
    return GradingResult(
        student=student,
        assignment=A,
        scores={"q1_visible": 0.0, "q1_hidden": 0.0, "q2_tests": q2_points, "q3_answer": None},
        max_score=7.0,
        fingerprint=submission_fingerprint(settings.folder("submitted", student, A), source),
    )


@pytest.fixture
def course(tmp_path) -> Path:
    """Four submissions: "graded" has a result; "damaged" had one (its marks are in
    the gradebook) whose file is now cut short; "never" was never graded;
    "resubmitted" was graded (marks in the gradebook, result stored) and handed in
    again since."""
    root = sample.make_course(tmp_path / "course")
    settings = load_settings(root)
    for student in ("graded", "damaged", "never", "resubmitted"):
        sample.write_submission(root, student, sample.student_notebook(root, {}))
    sync_gradebook(settings, A)
    with open_gradebook(settings) as gradebook:
        for student in ("graded", "damaged", "resubmitted"):
            record_result(gradebook, A, _result(root, student, 2.0))
    for student in ("graded", "damaged", "resubmitted"):
        path = result_path(settings, Job(student, A))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_result(root, student, 2.0).to_json(), encoding="utf-8")
    sample.write_submission(root, "resubmitted", sample.student_notebook(root, sample.RIGHT))
    damaged = result_path(settings, Job("damaged", A))
    damaged.write_text(damaged.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    assert GradingResult.read(damaged) is None  # reads as missing, as the pipeline sees it
    return root


def test_feedback_names_each_ungraded_submission_and_writes_no_page(course, capsys):
    assert main(["feedback", A, "--course", str(course)]) == 1
    out = capsys.readouterr().out
    for student in ("damaged", "never"):
        assert f"no feedback for {student}: not graded yet" in out
        assert not (course / "feedback" / student).exists()
    assert out.count(AUTOGRADE) == 2
    assert f"no feedback for resubmitted: {HANDED_IN_AGAIN}" in out
    assert not (course / "feedback" / "resubmitted").exists()
    assert "wrote 1 feedback files" in out
    assert (course / "feedback" / "graded" / A / f"{A}.html").exists()


def test_export_leaves_ungraded_marks_blank_and_says_to_autograde(course, capsys):
    assert main(["export", A, "--course", str(course)]) == 1
    out = capsys.readouterr().out
    assert "damaged: not graded yet" in out and "never: not graded yet" in out
    assert out.count(AUTOGRADE) == 2
    assert f"resubmitted: {HANDED_IN_AGAIN}" in out

    with (course / "export" / f"{A}_grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    marks = ["q1", "q2", "q3", "auto_total", "manual_total", "raw_total", "final_total"]
    for student in ("damaged", "never", "resubmitted"):
        row = rows[student]
        assert row["status"] == "not graded"
        # No zero, and not the gradebook's marks from before (the earlier submission's).
        assert [row[column] for column in marks] == [""] * len(marks), row
    assert AUTOGRADE in rows["damaged"]["problems"] and AUTOGRADE in rows["never"]["problems"]
    assert HANDED_IN_AGAIN in rows["resubmitted"]["problems"]
    assert float(rows["graded"]["q2"]) == 2.0

    with (course / "export" / f"{A}_summary.csv").open(encoding="utf-8") as handle:
        summary = {row["measure"]: row["value"] for row in csv.DictReader(handle)}
    assert summary["students"] == "4"
    assert summary["not graded (run autograde first)"] == "3"
    assert float(summary["mean total"]) == 2.0  # over the graded submission only


def test_when_every_submission_is_graded_both_commands_succeed(course, capsys):
    for student in ("damaged", "never", "resubmitted"):
        path = result_path(load_settings(course), Job(student, A))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_result(course, student, 0.0).to_json(), encoding="utf-8")
    assert main(["feedback", A, "--course", str(course)]) == 0
    assert main(["export", A, "--course", str(course)]) == 0
    assert "not graded" not in capsys.readouterr().out


def test_status_shows_a_result_older_than_the_submission_as_outdated_not_as_marks(
    course, capsys
):
    assert main(["status", A, "--course", str(course)]) == 0
    lines = capsys.readouterr().out.splitlines()
    resubmitted = [line for line in lines if line.startswith("resubmitted")]
    assert resubmitted == [
        next(line for line in lines if line.startswith("resubmitted ") and "outdated" in line)
    ]
    assert HANDED_IN_AGAIN in resubmitted[0] and "/7" not in resubmitted[0]
    assert any(line.startswith("graded ") and "2/7" in line for line in lines)
    assert "2 submissions not graded yet" in lines  # "damaged" (reads as missing) and "never"
