"""The pure checking function: right, wrong, partial, no choice and bad input."""

from __future__ import annotations

import pytest

from coopcourse.quiz import check_answer
from coopcourse.quiz.bank import Option, Question


def make_question(kind: str, correct: set[str]) -> Question:
    options = tuple(
        Option(key, f"Option {key}", key in correct, f"Because {key} is {key in correct}.")
        for key in "ABCD"
    )
    return Question("q", kind, "Prompt?", "FT report", "Think about it.", "recall", options)


SINGLE = make_question("single", {"B"})
MULTIPLE = make_question("multiple", {"A", "C"})


def test_right_single_answer_explains_every_option_and_cites_source():
    result = check_answer(SINGLE, "B")
    assert result.is_correct and result.status == "correct"
    assert [o.key for o in result.explained] == ["A", "B", "C", "D"]
    assert result.source == "FT report"


def test_wrong_single_answer_explains_only_the_choice():
    result = check_answer(SINGLE, "A")
    assert result.status == "incorrect"
    assert [o.key for o in result.explained] == ["A"]
    assert result.source is None  # the source would give the answer away
    assert "Because A is False." in result.as_text()


@pytest.mark.parametrize("nothing", [None, "", []])
def test_no_choice_gives_the_hint(nothing):
    question = MULTIPLE if isinstance(nothing, list) else SINGLE
    result = check_answer(question, nothing)
    assert result.status == "no_choice"
    assert "Think about it." in result.headline
    assert result.explained == ()


def test_multiple_select_exact_set_is_correct_in_any_order():
    assert check_answer(MULTIPLE, ["C", "A"]).is_correct
    assert check_answer(MULTIPLE, ("A", "C")).is_correct


def test_multiple_select_partial_counts_right_wrong_and_missing():
    result = check_answer(MULTIPLE, ["A", "B"])
    assert result.status == "partial"
    assert "1 correct choice(s), 1 wrong, 1 correct option(s) not yet chosen" in result.headline
    assert [o.key for o in result.explained] == ["A", "B"]


def test_multiple_select_all_wrong_is_incorrect():
    assert check_answer(MULTIPLE, ["B", "D"]).status == "incorrect"


def test_superset_is_not_correct():
    assert check_answer(MULTIPLE, ["A", "B", "C", "D"]).status == "partial"


@pytest.mark.parametrize(
    ("question", "answer", "error"),
    [
        (SINGLE, ["B"], TypeError),
        (SINGLE, 2, TypeError),
        (MULTIPLE, "A", TypeError),
        (MULTIPLE, 7, TypeError),
        (MULTIPLE, [1, 2], TypeError),
        (SINGLE, "Z", ValueError),
        (MULTIPLE, ["A", "Q"], ValueError),
    ],
)
def test_wrong_answer_type_is_a_clear_error(question, answer, error):
    with pytest.raises(error, match="Question 'q'"):
        check_answer(question, answer)
