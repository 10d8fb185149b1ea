"""Loading question banks: good banks load, and every kind of bad bank is named precisely."""

from __future__ import annotations

import textwrap

import pytest

from coopcourse.quiz.bank import BankError, bank_paths, load_bank, load_bank_file

GOOD_BANK = """
lesson: 99_test
title: Test lesson
questions:
  - id: one
    type: single
    prompt: Pick A.
    source: FT report
    hint: It is the first.
    skill: recall
    options:
      - {text: A, correct: true, why: Because A.}
      - {text: B, correct: false, why: Not B.}
  - id: many
    type: multiple
    prompt: Pick A and B.
    source: FT report
    hint: Two of them.
    skill: understanding
    options:
      - {text: A, correct: true, why: A is one.}
      - {text: B, correct: true, why: B is one.}
      - {text: C, correct: false, why: C is not.}
"""


def write_bank(tmp_path, text: str):
    path = tmp_path / "bank.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_bank_loads_with_letter_keys(tmp_path):
    bank = load_bank_file(write_bank(tmp_path, GOOD_BANK))
    assert bank.lesson == "99_test"
    assert [q.id for q in bank.questions] == ["one", "many"]
    assert [o.key for o in bank.get("many").options] == ["A", "B", "C"]
    assert bank.get("many").correct_keys == {"A", "B"}
    assert bank.number_of("many") == 2


@pytest.mark.parametrize(
    ("old", "new", "question", "message"),
    [
        ("{text: B, correct: false, why: Not B.}", "{text: B, correct: true, why: Not B.}",
         "one", "exactly 1 correct"),
        ("{text: B, correct: true, why: B is one.}", "{text: B, correct: false, why: B is one.}",
         "many", "at least 2 correct"),
        ("{text: C, correct: false, why: C is not.}", "{text: C, correct: false}",
         "many", "'why' must be non-empty"),
        ("{text: A, correct: true, why: Because A.}", "{text: A, correct: yes please, why: A.}",
         "one", "'correct' must be true or false"),
        ("type: single", "type: essay", "one", "'type' must be one of"),
        ("skill: recall", "skill: guessing", "one", "'skill' must be one of"),
        ("    hint: Two of them.\n", "", "many", "'hint' must be non-empty"),
        ("id: many", "id: one", "one", "used twice"),
        ("{text: B, correct: false, why: Not B.}", "{text: A, correct: false, why: Not B.}",
         "one", "same text"),
    ],
)
def test_bad_bank_error_names_file_and_question(tmp_path, old, new, question, message):
    assert old in GOOD_BANK
    path = write_bank(tmp_path, GOOD_BANK.replace(old, new, 1))
    with pytest.raises(BankError) as caught:
        load_bank_file(path)
    text = str(caught.value)
    assert str(path) in text
    assert f"question {question!r}" in text
    assert message in text
    assert caught.value.question_id == question


def test_invalid_yaml_names_the_file(tmp_path):
    path = write_bank(tmp_path, "lesson: [unclosed\n")
    with pytest.raises(BankError, match="not valid YAML") as caught:
        load_bank_file(path)
    assert str(path) in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(BankError, match="file not found"):
        load_bank_file(tmp_path / "absent.yaml")


def test_non_utf8_bank_is_a_clear_error(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("lesson: caf\xe9\n".encode("latin-1"))
    with pytest.raises(BankError, match="not UTF-8"):
        load_bank_file(path)


def test_unknown_lesson_lists_the_banks():
    with pytest.raises(FileNotFoundError, match="01_the_policy"):
        load_bank("no_such_lesson")


# ---- the course's own banks -------------------------------------------------

BANKS = bank_paths()


def test_there_is_a_bank_for_every_lesson_notebook(course_root):
    lessons = {path.stem for path in (course_root / "lessons").glob("[0-9][0-9]_*.ipynb")}
    assert lessons, "no lesson notebooks found"
    assert lessons <= {path.stem for path in BANKS}


@pytest.mark.parametrize("path", BANKS, ids=[p.stem for p in BANKS])
def test_course_bank_is_well_formed(path):
    bank = load_bank_file(path)  # raises on any structural problem
    assert bank.lesson == path.stem, "the bank's 'lesson' must match its file name"
    ids = [q.id for q in bank.questions]
    assert len(ids) == len(set(ids))
    minimum = 1 if bank.lesson.startswith("00_") else 6
    assert len(bank.questions) >= minimum, f"a lesson needs at least {minimum} questions"
    for question in bank.questions:
        correct = len(question.correct_keys)
        assert correct == 1 if question.type == "single" else 2 <= correct < len(question.options)
        for option in question.options:
            assert len(option.why.split()) >= 5, f"{question.id} {option.key}: explain why"
