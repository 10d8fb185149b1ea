"""Loading question banks: good banks load, and every kind of bad bank is named precisely."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib import resources

import pytest

from coopcourse.quiz.bank import SCHEMA_FILE, BankError, bank_paths, load_bank, load_bank_file

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
        ("id: many", "id: one", "one", "used twice, by questions 1 and 2"),
        ("{text: B, correct: false, why: Not B.}", "{text: A, correct: false, why: Not B.}",
         "one", "options A and B have the same text"),
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


# One case per rule of bank.schema.json: (old, new) edits GOOD_BANK, and the message must
# name the question and say what is wrong in words, not in schema terms.
SCHEMA_RULES = {
    "type not allowed": (("type: single", "type: essay"), "one",
                         "'type' must be one of ('single', 'multiple'), not 'essay'"),
    "type missing": (("    type: multiple\n", ""), "many",
                     "'type' must be one of ('single', 'multiple'), not None"),
    "skill not allowed": (("skill: recall", "skill: x"), "one",
                          "'skill' must be one of ('recall', 'understanding', 'application', "
                          "'evaluation'), not 'x'"),
    "prompt blank": (("prompt: Pick A.", "prompt: '   '"), "one",
                     "'prompt' must be non-empty text"),
    "source not text": (("source: FT report\n    hint: It", "source: [FT]\n    hint: It"), "one",
                        "'source' must be non-empty text"),
    "unknown question field": (("skill: recall", "skill: recall\n    level: 2"), "one",
                               "the question has unknown fields ['level']"),
    "too few options": (("      - {text: B, correct: false, why: Not B.}\n", ""), "one",
                        "'options' must be a list of 2 to 8 options"),
    "too many options": (("      - {text: B, correct: false, why: Not B.}\n",
                          "".join(f"      - {{text: {n}, correct: false, why: No.}}\n"
                                  for n in range(8))), "one",
                         "'options' must be a list of 2 to 8 options"),
    "options not a list": (("    options:\n      - {text: A, correct: true, why: Because A.}\n"
                            "      - {text: B, correct: false, why: Not B.}\n",
                            "    options: A or B\n"), "one",
                           "'options' must be a list of 2 to 8 options"),
    "option not a mapping": (("{text: B, correct: false, why: Not B.}", "B"), "one",
                             "option B must be a mapping with text, correct and why"),
    "unknown option field": (("{text: C, correct: false, why: C is not.}",
                              "{text: C, correct: false, why: C is not., score: 1}"), "many",
                             "option C has unknown fields ['score']"),
    "option text missing": (("{text: B, correct: true, why: B is one.}",
                             "{correct: true, why: B is one.}"), "many",
                            "option B: 'text' must be non-empty text"),
    "correct missing": (("{text: A, correct: true, why: Because A.}",
                         "{text: A, why: Because A.}"), "one",
                        "option A: 'correct' must be true or false"),
}


@pytest.mark.parametrize("rule", SCHEMA_RULES)
def test_each_schema_rule_names_file_question_and_problem(tmp_path, rule):
    (old, new), question, message = SCHEMA_RULES[rule]
    assert old in GOOD_BANK
    path = write_bank(tmp_path, GOOD_BANK.replace(old, new, 1))
    with pytest.raises(BankError) as caught:
        load_bank_file(path)
    assert str(caught.value) == f"{path}, question {question!r}: {message}"
    assert caught.value.question_id == question


# Problems outside any question, or in a question whose id cannot be used: the message
# names the file, and the question by its number.
UNNAMED = {
    "file not a mapping": ("- just a list\n", "the file must be a mapping with lesson, title "
                           "and questions"),
    "title missing": (GOOD_BANK.replace("title: Test lesson\n", ""),
                      "'title' must be non-empty text"),
    "unknown top-level field": (GOOD_BANK.replace("title:", "author: me\ntitle:"),
                                "the file has unknown fields ['author']"),
    "no questions": ("lesson: 99_test\ntitle: T\nquestions: []\n",
                     "'questions' must be a non-empty list of questions"),
    "question not a mapping": (GOOD_BANK + "  - just text\n",
                               "question number 3 must be a mapping with id, type, skill, "
                               "prompt, source, hint and options"),
    "id blank": (GOOD_BANK.replace("id: many", "id: ' '"),
                 "question number 2: 'id' must be non-empty text"),
    "id missing": (GOOD_BANK.replace("  - id: many\n    type", "  - type"),
                   "question number 2: 'id' must be non-empty text"),
}


@pytest.mark.parametrize("case", UNNAMED)
def test_problem_without_a_question_id_names_file_and_position(tmp_path, case):
    text, message = UNNAMED[case]
    path = write_bank(tmp_path, text)
    with pytest.raises(BankError) as caught:
        load_bank_file(path)
    assert str(caught.value) == f"{path}: {message}"
    assert caught.value.question_id is None


def _subschemas(schema: dict):
    yield schema
    children = [*schema.get("properties", {}).values(), *schema.get("definitions", {}).values()]
    if "items" in schema:
        children.append(schema["items"])
    for child in children:
        yield from _subschemas(child)


def test_the_schema_is_valid_and_words_every_rule():
    jsonschema = pytest.importorskip("jsonschema")  # tests can afford its slow import
    text = resources.files("coopcourse.quiz").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema = json.loads(text)
    jsonschema.Draft7Validator.check_schema(schema)
    for sub in _subschemas(schema):
        if "$ref" in sub:
            assert sub["$ref"].removeprefix("#/definitions/") in schema["definitions"], sub
        else:
            # Messages read "<field> must be <description>": each rule needs plain words.
            assert "enum" in sub or "description" in sub, f"describe {sub} in plain words"


def test_loading_a_lesson_quiz_does_not_import_jsonschema():
    # jsonschema's import builds an IRI grammar: seconds on a busy machine, in every
    # lesson's first cell. The banks are checked with fastjsonschema instead.
    code = ("import sys; from coopcourse.quiz import LessonQuiz; "
            "LessonQuiz('04_market_socialist_critique', save_progress=False); "
            "print('jsonschema' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_invalid_yaml_names_the_file(tmp_path):
    path = write_bank(tmp_path, "lesson: [unclosed\n")
    with pytest.raises(BankError, match="not valid YAML") as caught:
        load_bank_file(path)
    assert str(path) in str(caught.value)
    assert "lesson: [unclosed\n" in str(caught.value), "show the line that is wrong"


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
