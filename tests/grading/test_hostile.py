"""The hostile corpus (tests/grading/hostile), graded with the rest of the class.

Every attacker's answers are wrong, so every mark would be unearned. Each attack
must earn nothing, be reported where it is reported at all, leave the rest of
the class correctly graded and leave nothing behind.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coopcourse.grading.classroom.feedback import write_feedback
from coopcourse.grading.pipeline.source import load_assignment
from tests.grading.conftest import SECRET, hash_tree
from tests.grading.hostile import attacks

pytestmark = pytest.mark.slow

ATTACKS = attacks()
HIDDEN_FRAGMENTS = ["-3.5", "zq", "fx_demo.q1.2", "fx_demo.q1.3", "fx_demo.q2.2"]


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_attack_earns_nothing_and_is_reported(graded_class, student):
    result = graded_class.result(student)
    assert graded_class.total(student) == 0, result.checks
    expected = ATTACKS[student].PROBLEM
    if expected:
        assert expected in graded_class.problems(student), graded_class.problems(student)
    assert result.sandboxed is True


def test_the_rest_of_the_class_is_graded_right(graded_class):
    assert graded_class.total("good_right") == 5.0
    assert graded_class.total("good_partial") == 4.0
    assert graded_class.result("good_right").problems == []


def test_tampering_is_in_the_result_for_export_and_formgrader(graded_class):
    result = graded_class.result("hostile_forge_finalizer")
    assert result.tampering and result.status == "graded"
    notebook = graded_class.root / "autograded" / "hostile_forge_finalizer" / "fx_demo"
    assert "integrity:" in (notebook / "fx_demo.ipynb").read_text(encoding="utf-8")


def test_feedback_holds_no_learner_text_no_hidden_tests_and_no_secrets(graded_class):
    source = load_assignment(graded_class.settings.source_dir, "fx_demo")
    students = ["hostile_leak_hidden_tests", "hostile_leak_grader_environment"]
    for path in write_feedback(graded_class.settings, source, students).written:
        page = path.read_text(encoding="utf-8")
        assert "LEAKED" not in page and SECRET not in page
        for fragment in HIDDEN_FRAGMENTS:
            assert fragment not in page, (path, fragment)
        assert "hidden tests of q1" in page


def test_no_secret_reaches_any_result(graded_class):
    for student in ATTACKS:
        folder = graded_class.root / "autograded" / student / "fx_demo"
        for path in folder.iterdir():
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path


def test_nothing_outside_each_result_changed(graded_class):
    assert hash_tree(graded_class.root / "submitted") == graded_class.hashes_before
    from coopcourse.grading import sample_course

    assert hash_tree(Path(sample_course.__file__).parent) == graded_class.package_before


def test_no_process_is_left_behind(graded_class):
    # Only this test session's grading (other runs may share the machine).
    marker = f"coopcourse-run-{os.getpid()}/".encode()  # this process started the runs
    deadline = time.monotonic() + 15  # sandboxes end with their worker, a moment later
    while True:
        leftovers = [command for command in _command_lines() if marker in command]
        if not leftovers or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert leftovers == []


def _command_lines() -> list[bytes]:
    lines = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    lines.append(handle.read().replace(b"\0", b" "))
            except OSError:
                continue
    return lines


def test_a_long_submission_is_stopped_by_its_time_budget(graded_class):
    """Stopped by the budget, not by running out of cells: the later cells never ran.
    (The wall-clock bound is loose on purpose: reading and writing 20,000 cells
    takes seconds on a busy machine, but never minutes.)"""
    for student in ("hostile_time_sleepy_cells", "hostile_time_many_cells"):
        assert "time budget of 12 s" in graded_class.problems(student), student
        code = [c for c in graded_class.autograded_notebook(student).cells if c.cell_type == "code"]
        assert code[0].execution_count is not None, student
        assert code[-1].execution_count is None, student  # the last cells never ran
        assert graded_class.result(student).seconds < 12 + 120, student
