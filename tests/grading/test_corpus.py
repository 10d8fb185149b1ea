"""Bad submissions: each learner gets a clear message and the rest of the class is graded."""

from __future__ import annotations

import csv

import pytest

from coopcourse.grading.classroom.export import export_grades
from coopcourse.grading.pipeline.source import load_assignment

pytestmark = pytest.mark.slow

FULL_AUTO = 5.0  # the sample assignment's autograded points


def test_good_submissions_get_the_right_scores(graded_class):
    assert graded_class.total("good_right") == FULL_AUTO
    # A cell's points are shared among its checks: the wrong answer still passes
    # q2's length check (1 of 2 points); the partial one passes q1 visible (1),
    # one of q1's two hidden checks (1 of 2) and q2 (2).
    assert graded_class.total("good_wrong") == 1.0
    assert graded_class.total("good_partial") == 4.0
    assert graded_class.total("good_untouched") == 0
    assert graded_class.problems("good_right") == ""


def test_invalid_json(graded_class):
    assert graded_class.result("bad_invalid_json").status == "unreadable"
    assert "not valid JSON (line 1" in graded_class.problems("bad_invalid_json")
    assert graded_class.total("bad_invalid_json") == 0


def test_json_that_is_not_a_notebook(graded_class):
    assert "JSON but not a Jupyter notebook" in graded_class.problems("bad_not_notebook")
    assert graded_class.total("bad_not_notebook") == 0


def test_wrong_file_name_is_reported_and_still_graded(graded_class):
    assert "wrong file name: homework (1).ipynb" in graded_class.problems("bad_wrong_name")
    assert graded_class.total("bad_wrong_name") == FULL_AUTO


def test_missing_notebook(graded_class):
    problems = graded_class.problems("bad_missing")
    assert "missing notebook fx_demo.ipynb" in problems and "notes.txt" in problems
    assert graded_class.total("bad_missing") == 0


def test_deleted_cells_are_put_back(graded_class):
    problems = graded_class.problems("bad_deleted_cells")
    assert "answer cell q2_answer was missing" in problems
    assert "test cell q1_hidden was missing" in problems
    scores = graded_class.result("bad_deleted_cells").scores
    assert scores["q1_visible"] == 1 and scores["q1_hidden"] == 2  # hidden test restored
    assert scores["q2_tests"] == 0


def test_reordered_cells_are_put_back_in_order(graded_class):
    assert "moved" in graded_class.problems("bad_reordered")
    assert graded_class.total("bad_reordered") == FULL_AUTO


def test_tampered_test_cells_use_the_original(graded_class):
    assert "q1_visible was changed" in graded_class.problems("bad_tampered_tests")
    assert graded_class.result("bad_tampered_tests").scores["q1_visible"] == 0


def test_endless_loop_is_stopped_and_rest_graded(graded_class):
    assert "stopped after 4 s (an endless loop?)" in graded_class.problems("bad_endless_loop")
    assert graded_class.result("bad_endless_loop").scores["q2_tests"] == 2


def test_a_test_stopped_by_its_timeout_is_not_taken_for_tampering(graded_class):
    """Stopping a looping test (the kernel logs the interrupt) must not look like tampering."""
    result = graded_class.result("bad_loop_in_test")
    problems = graded_class.problems("bad_loop_in_test")
    assert "cell q1_hidden was stopped after 4 s" in problems
    assert result.tampering == [] and "integrity" not in problems
    assert result.scores["q1_hidden"] == 0 and result.scores["q2_tests"] == 2


def test_memory_bomb(graded_class):
    assert "ran out of memory" in graded_class.problems("bad_memory_bomb")
    assert graded_class.total("bad_memory_bomb") == FULL_AUTO


def test_gigabytes_of_output_are_cut_off(graded_class):
    # On a busy machine the kernel batches so much output into one message that ZeroMQ
    # refuses it; then the cell's timeout stops the flood instead.
    problems = graded_class.problems("bad_output_flood")
    assert "printed more than 64 KB" in problems or "stopped after 4 s" in problems
    # Every later cell still runs: the flood costs only its own cell.
    assert graded_class.total("bad_output_flood") == FULL_AUTO, (
        problems, graded_class.result("bad_output_flood").scores
    )
    notebook = graded_class.root / "autograded" / "bad_output_flood" / "fx_demo" / "fx_demo.ipynb"
    assert notebook.stat().st_size < 1_000_000


def test_kernel_crash(graded_class):
    assert "kernel stopped in your cell after q1_visible" in graded_class.problems(
        "bad_kernel_crash"
    )
    scores = graded_class.result("bad_kernel_crash").scores
    assert scores["q1_visible"] == 1 and scores["q1_hidden"] == 0


def test_sys_exit(graded_class):
    assert "called sys.exit()" in graded_class.problems("bad_sys_exit")
    assert graded_class.total("bad_sys_exit") == FULL_AUTO


def test_writes_outside_its_folder_are_blocked(graded_class):
    # In the sandbox the folder does not even exist; without it, Landlock refuses.
    problems = graded_class.problems("bad_writes_outside")
    assert "tried to use files outside its own folder" in problems and "integrity" not in problems
    assert not graded_class.outside_target.exists()
    assert graded_class.total("bad_writes_outside") == FULL_AUTO


def test_non_utf8_text(graded_class):
    assert "is not UTF-8 text" in graded_class.problems("bad_not_utf8")


def test_every_corpus_entry_reaches_the_export_with_its_message(graded_class):
    source = load_assignment(graded_class.settings.source_dir, "fx_demo")
    students = sorted(graded_class.results)
    result = export_grades(graded_class.settings, source, students)
    with result.grades_csv.open(encoding="utf-8") as handle:
        rows = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == set(students)
    for student in graded_class.bad:
        assert rows[student]["problems"], student
