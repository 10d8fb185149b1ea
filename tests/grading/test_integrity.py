"""Integrity: tricks that fool plain nbgrader earn nothing from the course grader.

Every attacker submits wrong answers plus one trick (see corpus/submissions.py);
each must score zero on every test cell the trick could reach.
"""

from __future__ import annotations

import pytest

from tests.grading.corpus.submissions import ATTACKS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_attack_earns_no_marks(graded_class, student):
    result = graded_class.result(student)
    assert result.status == "graded"
    assert {
        grade_id: score for grade_id, score in result.scores.items() if score
    }.keys() == set()


@pytest.mark.parametrize(
    "student",
    ["attack_input_transformer", "attack_ast_transformer", "attack_post_run_event"],
)
def test_guard_makes_the_real_tests_run(graded_class, student):
    # The tests ran and produced the honest verdict, not "did not run".
    messages = {c.check_id: c.message for c in graded_class.result(student).checks}
    assert messages["fx_demo.q1.1"] == "the int is not the expected value"


@pytest.mark.parametrize("student", ["attack_builtins", "attack_shadow_len"])
def test_tests_use_the_real_builtins(graded_class, student):
    messages = {c.check_id: c.message for c in graded_class.result(student).checks}
    assert messages["fx_demo.q2.1"] == "the int is not the expected value"  # real len() was used


def test_a_trace_function_ends_the_run_and_is_reported(graded_class):
    assert "set a trace function" in graded_class.problems("attack_settrace")


def test_crafted_objects_cannot_be_compared(graded_class):
    messages = {
        c.check_id: c.message for c in graded_class.result("attack_crafted_eq").checks
    }
    assert "cannot be compared" in messages["fx_demo.q1.3"]
    assert "Anything" not in messages["fx_demo.q1.3"]  # learner text never reaches feedback


def test_fake_output_and_forged_display_exports_count_for_nothing(graded_class):
    checks = {c.check_id: c for c in graded_class.result("attack_fake_output").checks}
    assert not checks["fx_demo.q1.2"].passed

