"""A worker that raises or dies leaves an error result on disk, and the next run
grades that submission again.

Grading itself is replaced by a stand-in (no kernels): the class run, its pools,
the gradebook and the stored results are real.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.classroom.gradebook import gradebook_snapshot, open_gradebook
from coopcourse.grading.cli import main
from coopcourse.grading.pipeline import grade as grading
from coopcourse.grading.pipeline import runner
from coopcourse.grading.pipeline.grade import (
    GRADER_ERROR,
    Job,
    blank_result,
    grade_job,
    read_result,
    result_path,
    submission_fingerprint,
)
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.grading.result import ERROR, GRADED
from coopcourse.grading.settings import load_settings

A = sample.ASSIGNMENT
STUDENTS = ("crasher", "fine", "killer")


def _stand_in_grader(crashing: dict):
    """grade_job's stand-in: "crasher" raises, "killer" ends its worker process, while
    ``crashing["on"]``; otherwise each gets a graded result, stored as grade_job does."""

    def grade(settings, source, expected, job):
        if crashing["on"] and job.student == "crasher":
            raise RuntimeError("a bug in the grader")
        if crashing["on"] and job.student == "killer":
            os._exit(1)  # as if the system killed the worker
        result = blank_result(source, job)
        result.scores["q2_tests"] = 3.0  # some marks, so a crash's lack of them shows
        folder = settings.folder("submitted", job.student, job.assignment)
        result.fingerprint = submission_fingerprint(folder, source)
        path = result_path(settings, job)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.to_json(), encoding="utf-8")
        return result

    return grade


@pytest.fixture
def course(tmp_path, monkeypatch) -> Path:
    root = sample.make_course(tmp_path / "course", workers=2)
    for student in STUDENTS:
        sample.write_submission(root, student, sample.student_notebook(root, {}))
    monkeypatch.setattr(runner, "reference_values", lambda settings, source: {})
    return root


def test_a_crash_is_stored_shown_and_graded_again(course, monkeypatch, capsys):
    settings = load_settings(course)
    crashing = {"on": True}
    monkeypatch.setattr(runner, "grade_job", _stand_in_grader(crashing))

    run = runner.grade_class(settings, A, show_progress=False)
    assert {r.student: r.status for r in run.results} == {
        "crasher": ERROR,
        "fine": GRADED,
        "killer": ERROR,
    }
    for student in ("crasher", "killer"):
        stored = read_result(settings, Job(student, A))
        assert stored is not None and stored.status == ERROR, student
        assert "graded again on the next run" in stored.problems[0]
        assert stored.learner_problems == [GRADER_ERROR]
    # The instructor reads the error and its message; the learner the fixed sentence.
    crashed = read_result(settings, Job("crasher", A))
    assert "(RuntimeError: a bug in the grader)" in crashed.problems[0]

    capsys.readouterr()
    assert main(["status", A, "--course", str(course)]) == 0
    status = capsys.readouterr().out
    assert "not graded yet" not in status
    assert [line.split()[:2] for line in status.splitlines() if line.startswith("crasher")] == [
        ["crasher", "error"]
    ]

    crashing["on"] = False
    again = runner.grade_class(settings, A, show_progress=False)
    assert (again.graded, again.reused) == (2, 1)  # the crashes, not the graded one
    assert {r.status for r in again.results} == {GRADED}
    assert all(read_result(settings, Job(s, A)).status == GRADED for s in STUDENTS)


def _mark_by_hand(settings, student: str, points: float) -> None:
    with open_gradebook(settings) as gradebook:
        grade = gradebook.find_grade("q3_answer", A, A, student)
        grade.manual_score, grade.needs_manual_grade = points, False
        gradebook.db.commit()


def _withdrawn(rows, students):
    """``rows`` (a gradebook snapshot) with the automatic scores of ``students`` withdrawn
    where no grader marked the cell: what a failed grading leaves."""
    def withdrawn(row):
        if len(row) != 7:  # a comment, not a grade
            return row
        student, notebook, cell, auto, manual, _needs, extra = row
        if student in students and manual is None and auto is not None:
            return (student, notebook, cell, None, None, True, extra)
        return row

    return sorted((withdrawn(row) for row in rows), key=repr)  # as gradebook_snapshot sorts


def test_a_crash_withdraws_automatic_scores_and_keeps_marks_by_hand(course, monkeypatch):
    """A crash writes no score, and withdraws the automatic scores of the earlier
    grading (which may be of an earlier hand-in); marks by hand stay. A crash followed
    by a clean run gives exactly the gradebook of a clean run alone."""
    settings = load_settings(course)
    crashing = {"on": False}
    monkeypatch.setattr(runner, "grade_job", _stand_in_grader(crashing))
    runner.grade_class(settings, A, show_progress=False)
    _mark_by_hand(settings, "crasher", 2.0)
    before = gradebook_snapshot(settings, A)

    crashing["on"] = True
    runner.grade_class(settings, A, ["crasher", "killer"], force=True, show_progress=False)
    for student in ("crasher", "killer"):
        stored = read_result(settings, Job(student, A))
        assert stored.status == ERROR
        assert set(stored.scores.values()) == {None}, stored.scores  # no score, not zero
    after = gradebook_snapshot(settings, A)
    assert after == _withdrawn(before, {"crasher", "killer"}) and after != before
    def hand_mark(rows):
        return next(row[3:6] for row in rows if row[:3] == ("crasher", A, "q3_answer"))

    assert hand_mark(before) == hand_mark(after) == (None, 2.0, False)

    crashing["on"] = False
    runner.grade_class(settings, A, ["crasher", "killer"], show_progress=False)
    after_crash = gradebook_snapshot(settings, A)
    runner.grade_class(settings, A, ["crasher", "killer"], force=True, show_progress=False)
    assert gradebook_snapshot(settings, A) == after_crash == before  # a clean run alone


def test_a_crash_is_no_mark_in_feedback_export_or_course_gradebook(course, monkeypatch, capsys):
    settings = load_settings(course)
    crashing = {"on": False}
    monkeypatch.setattr(runner, "grade_job", _stand_in_grader(crashing))
    runner.grade_class(settings, A, show_progress=False)  # marks in the gradebook...
    _mark_by_hand(settings, "crasher", 2.0)
    _mark_by_hand(settings, "fine", 1.0)
    _mark_by_hand(settings, "killer", 1.0)
    crashing["on"] = True
    runner.grade_class(settings, A, ["crasher"], force=True, show_progress=False)  # ...then a crash
    capsys.readouterr()

    assert main(["feedback", A, "--course", str(course)]) == 1
    out = capsys.readouterr().out
    assert f"no feedback for crasher: grading failed; run `coopcourse class autograde {A}`" in out
    assert not (course / "feedback" / "crasher").exists()
    assert (course / "feedback" / "fine" / A / f"{A}.html").exists()

    assert main(["export", A, "--course", str(course)]) == 1
    assert "crasher: grading failed" in capsys.readouterr().out
    with (course / "export" / f"{A}_grades.csv").open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    row = rows["crasher"]
    assert row["status"] == ERROR
    marks = ["q1", "q2", "q3", "auto_total", "manual_total", "raw_total", "final_total"]
    assert [row[column] for column in marks] == [""] * len(marks), row
    assert "RuntimeError" in row["problems"]
    assert float(rows["fine"]["final_total"]) == 4.0
    with (course / "export" / f"{A}_summary.csv").open(encoding="utf-8") as handle:
        summary = {row["measure"]: row["value"] for row in csv.DictReader(handle)}
    assert summary["grading failed (run autograde again)"] == "1"
    assert "not graded (run autograde first)" not in summary
    assert float(summary["mean total"]) == 4.0  # over the graded submissions only

    assert main(["gradebook", "--course", str(course), "--lms", "canvas"]) == 0
    with (course / "export" / "course_gradebook.csv").open(encoding="utf-8") as handle:
        book = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert (book["crasher"][A], book["crasher"]["final_mark"]) == ("pending", "pending")
    assert book["fine"][A] == "4"
    with (course / "export" / "canvas_import.csv").open(encoding="utf-8") as handle:
        canvas = {row[0]: row[-1] for row in csv.reader(handle)}
    assert canvas["crasher"] == "" and canvas["fine"] == "4"


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_a_submission_whose_fingerprint_cannot_be_taken_is_graded_again(course, monkeypatch):
    """A file that cannot be read (EIO): the parent's check for an unchanged submission
    must not stop the class, and the grading of that student says why."""
    settings = load_settings(course)
    folder = settings.folder("submitted", "crasher", A)
    (folder / "unreadable").write_text("", encoding="utf-8")
    reads = grading._file_digest

    def failing_read(path):
        if path.name == "unreadable":
            raise OSError(5, "Input/output error", str(path))
        return reads(path)

    monkeypatch.setattr(grading, "_file_digest", failing_read)
    with monkeypatch.context() as stand_in:
        stand_in.setattr(runner, "grade_job", _stand_in_grader({"on": False}))
        runner.grade_class(settings, A, show_progress=False)  # "crasher" fails its fingerprint
        again = runner.grade_class(settings, A, show_progress=False)
    assert (again.graded, again.reused) == (1, 2)
    assert read_result(settings, Job("crasher", A)).status == ERROR

    result = grade_job(settings, load_assignment(settings.source_dir, A), {}, Job("crasher", A))
    assert result.status == ERROR and result.fingerprint == ""
    assert set(result.scores.values()) == {None}  # a failed grading is no mark
    assert "OSError" in " ".join(result.problems)
    assert read_result(settings, Job("crasher", A)) == result


def test_a_result_that_cannot_be_stored_is_reported_and_the_class_goes_on(course, monkeypatch):
    settings = load_settings(course)
    blocked = settings.folder("autograded", "crasher", A)
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the result's folder should be", encoding="utf-8")
    monkeypatch.setattr(runner, "grade_job", _stand_in_grader({"on": True}))
    run = runner.grade_class(settings, A, show_progress=False)
    crasher = next(result for result in run.results if result.student == "crasher")
    assert crasher.status == ERROR
    assert "could not be stored" in " ".join(crasher.problems)
    assert read_result(settings, Job("fine", A)).status == GRADED
