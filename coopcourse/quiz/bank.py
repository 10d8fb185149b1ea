"""Question banks: load a lesson's YAML file into checked, immutable objects.

A bank looks like this (see "Adding a quiz question" in CONTRIBUTING.md)::

    lesson: 01_the_policy
    title: The policy
    questions:
      - id: opt-out-who
        type: single            # or: multiple
        prompt: Who could opt out under the plan?
        source: FT report, Q&A "What are the Tories proposing?"
        hint: Look at the list of jobs in the Q&A.
        skill: recall           # recall, understanding, application or evaluation
        options:
          - text: Community nurses, teachers, job-centre staff
            correct: true
            why: The Q&A names exactly these.
          - text: ...
            correct: false
            why: ...

Every problem is reported as a :class:`BankError` that names the file and the
question, so a contributor knows where to look.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

QUESTION_TYPES = ("single", "multiple")
# What a question asks of the learner, from remembering a source to judging an argument.
SKILLS = ("recall", "understanding", "application", "evaluation")
_QUESTION_FIELDS = {"id", "type", "prompt", "source", "hint", "skill", "options"}
_OPTION_FIELDS = {"text", "correct", "why"}


class BankError(ValueError):
    """A question bank that cannot be used, with the file and question at fault."""

    def __init__(self, path: str | Path, message: str, question_id: str | None = None):
        self.path = str(path)
        self.question_id = question_id
        where = f"{self.path}, question {question_id!r}" if question_id else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Option:
    key: str  # "A", "B", ... in the order written
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    prompt: str
    source: str
    hint: str
    skill: str
    options: tuple[Option, ...]

    @property
    def correct_keys(self) -> frozenset[str]:
        return frozenset(option.key for option in self.options if option.correct)

    def option(self, key: str) -> Option:
        for option in self.options:
            if option.key == key:
                return option
        raise KeyError(f"Question {self.id!r} has no option {key!r}")


@dataclass(frozen=True)
class Bank:
    lesson: str
    title: str
    questions: tuple[Question, ...]
    path: str

    def get(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"Bank {self.lesson!r} has no question {question_id!r}; it has: {known}")

    def number_of(self, question_id: str) -> int:
        """1-based position of a question in its bank."""
        return [q.id for q in self.questions].index(question_id) + 1


def _require_text(path, data: dict, field: str, question_id: str | None) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        raise BankError(path, f"'{field}' must be non-empty text", question_id)
    return value.strip()


def _parse_option(path, raw, question_id: str, key: str) -> Option:
    if not isinstance(raw, dict):
        raise BankError(
            path, f"option {key} must be a mapping with text, correct, why", question_id
        )
    unknown = set(raw) - _OPTION_FIELDS
    if unknown:
        raise BankError(path, f"option {key} has unknown fields {sorted(unknown)}", question_id)
    if not isinstance(raw.get("correct"), bool):
        raise BankError(path, f"option {key}: 'correct' must be true or false", question_id)
    return Option(
        key=key,
        text=_require_text(path, raw, "text", question_id),
        correct=raw["correct"],
        why=_require_text(path, raw, "why", question_id),
    )


def _parse_question(path, raw, index: int) -> Question:
    if not isinstance(raw, dict):
        raise BankError(path, f"question number {index} must be a mapping")
    question_id = raw.get("id")
    if not isinstance(question_id, str) or not question_id.strip():
        raise BankError(path, f"question number {index} has no 'id'")
    unknown = set(raw) - _QUESTION_FIELDS
    if unknown:
        raise BankError(path, f"unknown fields {sorted(unknown)}", question_id)
    kind = raw.get("type")
    if kind not in QUESTION_TYPES:
        raise BankError(path, f"'type' must be one of {QUESTION_TYPES}, not {kind!r}", question_id)
    skill = raw.get("skill")
    if skill not in SKILLS:
        raise BankError(path, f"'skill' must be one of {SKILLS}, not {skill!r}", question_id)
    raw_options = raw.get("options")
    if not isinstance(raw_options, list) or not 2 <= len(raw_options) <= 8:
        raise BankError(path, "'options' must be a list of 2 to 8 options", question_id)
    options = tuple(
        _parse_option(path, option, question_id, key)
        for option, key in zip(raw_options, string.ascii_uppercase, strict=False)
    )
    if len({option.text for option in options}) != len(options):
        raise BankError(path, "two options have the same text", question_id)
    n_correct = sum(option.correct for option in options)
    if kind == "single" and n_correct != 1:
        raise BankError(path, f"a single-choice question needs exactly 1 correct option, "
                        f"not {n_correct}", question_id)
    if kind == "multiple" and not 2 <= n_correct < len(options):
        raise BankError(path, f"a multiple-select question needs at least 2 correct options and "
                        f"at least 1 wrong one, not {n_correct} of {len(options)}", question_id)
    return Question(
        id=question_id,
        type=kind,
        prompt=_require_text(path, raw, "prompt", question_id),
        source=_require_text(path, raw, "source", question_id),
        hint=_require_text(path, raw, "hint", question_id),
        skill=skill,
        options=options,
    )


def parse_bank(data, path: str | Path) -> Bank:
    """Check and convert already-parsed YAML data into a :class:`Bank`."""
    if not isinstance(data, dict):
        raise BankError(path, "the file must hold a mapping with lesson, title and questions")
    lesson = _require_text(path, data, "lesson", None)
    title = _require_text(path, data, "title", None)
    raw_questions = data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        raise BankError(path, "'questions' must be a non-empty list")
    questions = tuple(
        _parse_question(path, raw, index) for index, raw in enumerate(raw_questions, start=1)
    )
    seen: set[str] = set()
    for question in questions:
        if question.id in seen:
            raise BankError(path, "this id is used twice", question.id)
        seen.add(question.id)
    return Bank(lesson=lesson, title=title, questions=questions, path=str(path))


def load_bank_file(path: str | Path) -> Bank:
    """Load and check the bank in ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankError(path, "file not found") from None
    except UnicodeDecodeError as error:
        raise BankError(path, f"not UTF-8 text ({error.reason})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise BankError(path, f"not valid YAML: {error}") from None
    return parse_bank(data, path)


def bank_paths() -> list[Path]:
    """Every bank shipped with the course, in lesson order."""
    folder = resources.files("coopcourse.quizbanks")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".yaml"))


def load_bank(lesson: str) -> Bank:
    """Load the bank for a lesson, e.g. ``"01_the_policy"``."""
    for path in bank_paths():
        if path.stem == lesson:
            return load_bank_file(path)
    known = ", ".join(path.stem for path in bank_paths())
    raise FileNotFoundError(f"No quiz bank for lesson {lesson!r}; banks: {known}")
