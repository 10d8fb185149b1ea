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

The structure (fields, types, allowed values) is described by the JSON Schema in
``bank.schema.json``; the few rules that compare options or questions with one
another are checked in code. Every problem is reported as a :class:`BankError`
that names the file and the question, so a contributor knows where to look.
"""

from __future__ import annotations

import copy
import functools
import json
import string
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from coopcourse.data import DataFileError

# The structure of a bank is described once, as a JSON Schema next to this module;
# contributors can point their editor's YAML support at the same file.
SCHEMA_FILE = "bank.schema.json"
_SCHEMA = json.loads(resources.files(__package__).joinpath(SCHEMA_FILE).read_text("utf-8"))
_QUESTION = _SCHEMA["definitions"]["question"]["properties"]
QUESTION_TYPES = tuple(_QUESTION["type"]["enum"])
# What a question asks of the learner, from remembering a source to judging an argument.
SKILLS = tuple(_QUESTION["skill"]["enum"])


class BankError(DataFileError):
    """A question bank that cannot be used, naming the file and the question at fault."""

    item_kind = "question"

    @property
    def question_id(self) -> str | None:
        return self.item_id


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


@functools.cache
def _validator(detailed: bool):
    """The schema compiled to Python code by fastjsonschema (a dependency of nbformat).

    jsonschema is not used: importing it builds an IRI grammar, which would add about a
    second to every lesson's first cell. Errors with details (rule, value, sub-schema)
    take four times as long to compile, so they are only compiled for a bank that fails.
    """
    import fastjsonschema

    # compile() rewrites the $refs of the dict it is given.
    return fastjsonschema.compile(copy.deepcopy(_SCHEMA), detailed_exceptions=detailed)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = _SCHEMA["definitions"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _schema_error(path, data, error) -> BankError:
    """The schema's first complaint, in words that name the question, option and field."""
    steps = error.path[1:]  # e.g. ["questions", "0", "options", "2", "why"]
    schema, value = _resolve(error.definition), error.value
    if error.rule == "additionalProperties":
        # str(): a YAML key may be a number or a date, and those do not sort with text.
        unknown = sorted(str(name) for name in set(value) - set(schema["properties"]))
        problem = f"has unknown fields {unknown}"
    else:
        if error.rule == "required":  # speak of the first missing field itself
            missing = next(name for name in schema["required"] if name not in value)
            steps, schema, value = [*steps, missing], _resolve(schema["properties"][missing]), None
        if "enum" in schema:
            problem = f"must be one of {tuple(schema['enum'])}, not {value!r}"
        else:
            problem = f"must be {schema['description']}"

    question_id, containers, field = None, [], None
    if not steps:
        containers.append("the file")
    elif steps[0] != "questions" or len(steps) == 1:
        field = steps[0]
    else:
        raw = data["questions"][int(steps[1])]
        rest = steps[2:]
        candidate = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(candidate, str) and candidate.strip() and rest != ["id"]:
            question_id = candidate  # named by BankError itself
            if not rest:
                containers.append("the question")
        else:
            containers.append(f"question number {int(steps[1]) + 1}")
        if rest[:1] == ["options"] and len(rest) > 1:
            containers.append(f"option {string.ascii_uppercase[int(rest[1])]}")  # at most 8
        if len(rest) in (1, 3):  # a field of the question or of one option
            field = rest[-1]
    subject = ", ".join(containers)
    if field:
        subject = f"{subject}: '{field}'" if subject else f"'{field}'"
    return BankError(path, f"{subject} {problem}", question_id)


def _question(path, raw: dict) -> Question:
    question_id = raw["id"]
    options = tuple(
        Option(key=key, text=option["text"].strip(), correct=option["correct"],
               why=option["why"].strip())
        for option, key in zip(raw["options"], string.ascii_uppercase, strict=False)
    )
    # The rules below compare options with one another, which a schema cannot say clearly.
    first_with_text: dict[str, str] = {}
    for option in options:
        if option.text in first_with_text:
            raise BankError(path, f"options {first_with_text[option.text]} and {option.key} "
                            "have the same text", question_id)
        first_with_text[option.text] = option.key
    n_correct = sum(option.correct for option in options)
    if raw["type"] == "single" and n_correct != 1:
        raise BankError(path, f"a single-choice question needs exactly 1 correct option, "
                        f"not {n_correct}", question_id)
    if raw["type"] == "multiple" and not 2 <= n_correct < len(options):
        raise BankError(path, f"a multiple-select question needs at least 2 correct options and "
                        f"at least 1 wrong one, not {n_correct} of {len(options)}", question_id)
    return Question(
        id=question_id,
        type=raw["type"],
        prompt=raw["prompt"].strip(),
        source=raw["source"].strip(),
        hint=raw["hint"].strip(),
        skill=raw["skill"],
        options=options,
    )


def parse_bank(data, path: str | Path) -> Bank:
    """Check already-parsed YAML data against the schema and convert it into a :class:`Bank`."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _validator(detailed=False)(data)
    except JsonSchemaValueException:
        # The quick validator only says that the bank fails; the detailed one says where.
        try:
            _validator(detailed=True)(data)
        except JsonSchemaValueException as error:
            raise _schema_error(path, data, error) from None
        raise
    questions = tuple(_question(path, raw) for raw in data["questions"])
    # One id per question across the bank: JSON Schema's uniqueItems compares whole items only.
    numbers: dict[str, int] = {}
    for number, question in enumerate(questions, start=1):
        if question.id in numbers:
            raise BankError(path, f"this id is used twice, by questions {numbers[question.id]} "
                            f"and {number}", question.id)
        numbers[question.id] = number
    return Bank(lesson=data["lesson"].strip(), title=data["title"].strip(), questions=questions,
                path=str(path))


# libyaml's parser (in PyYAML's wheels) reads a bank about ten times faster than PyYAML's
# own, and a bank is read in every lesson's first cell.
_QUICK_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
        data = yaml.load(text, Loader=_QUICK_YAML_LOADER)
    except yaml.YAMLError:
        # Parse again in pure Python, whose message shows the bad line and a caret.
        try:
            yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise BankError(path, f"not valid YAML: {error}") from None
        raise
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
