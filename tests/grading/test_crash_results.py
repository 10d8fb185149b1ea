"""A worker that raises or dies leaves an error result on disk, and the next run
grades that submission again.

Grading itself is replaced by a stand-in (no kernels): the class run, its pools,
the gradebook and the stored results are real.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.cli import main
from coopcourse.grading.pipeline import runner
from coopcourse.grading.pipeline.grade import (
    GRADER_ERROR,
    Job,
    blank_result,
    read_result,
    result_path,
    submission_fingerprint,
)
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
    assert "RuntimeError" in read_result(settings, Job("crasher", A)).problems[0]

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
