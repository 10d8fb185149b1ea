"""Checks of the course's own content that a reviewer would otherwise do by hand.

Each function looks at one lesson notebook or one question bank and returns
what it finds, so the tests can state the course's standards in one place:

* quiz items give no cue: the key is not usually in one position or the
  longest option (the item-writing rules in CONTRIBUTING and the README);
* a lesson's stated study time agrees with an estimate from its content;
* every ``[Rn]`` reference names its author or publisher, title and year;
* glossary terms are linked where a lesson first uses them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from coopcourse.quiz.bank import Bank, Question

# ---- quiz items ---------------------------------------------------------------

# A key may be the longest option in at most this share of a bank's
# single-choice questions (chance alone, with four options, gives a quarter).
MAX_LONGEST_KEY_SHARE = 0.35
# A key may be at most this many times as long as the average wrong option.
MAX_KEY_LENGTH_RATIO = 1.4
# At least this share of a lesson's questions must ask for more than recall.
MIN_BEYOND_RECALL_SHARE = 0.5


def single_choice(bank: Bank) -> list[Question]:
    return [q for q in bank.questions if q.type == "single"]


def key_positions(questions: list[Question]) -> Counter:
    """How often the key sits at each option letter."""
    return Counter(next(iter(q.correct_keys)) for q in questions)


def max_keys_in_one_position(n_questions: int, n_positions: int = 4) -> int:
    """The most keys one letter may hold: an even spread, plus one."""
    return math.ceil(n_questions / n_positions) + 1


def key_is_longest(question: Question) -> bool:
    """True when the key is strictly longer than every wrong option."""
    key = question.option(next(iter(question.correct_keys)))
    return all(len(key.text) > len(o.text) for o in question.options if not o.correct)


def key_length_ratio(question: Question) -> float:
    """The key's length over the average length of the wrong options."""
    key = question.option(next(iter(question.correct_keys)))
    wrong = [len(o.text) for o in question.options if not o.correct]
    return len(key.text) / (sum(wrong) / len(wrong))


def beyond_recall_share(bank: Bank) -> float:
    return sum(q.skill != "recall" for q in bank.questions) / len(bank.questions)


# ---- study time -----------------------------------------------------------------

READING_WORDS_PER_MINUTE = 200
MINUTES_PER_QUESTION = 1.5
MINUTES_PER_MODEL_EXPLORER = 5
MINUTES_PER_DISCUSSION = 10
# How far a stated time may be from the estimate, either way.
TIME_TOLERANCE = 0.20
MAX_LESSON_MINUTES = 60

STATED_TIME = re.compile(r"\*\*Time:\*\*\s*about\s+(\d+)\s+minutes", re.IGNORECASE)
_QUESTION_CALL = re.compile(r"quiz\.question\(\s*[\"']([^\"']+)[\"']\s*\)")
_EXPLORER_CALL = re.compile(r"\b\w+_explorer\(")
_DISCUSSION_HEADING = re.compile(r"^#{2,3}\s+Discuss", re.MULTILINE)


@dataclass(frozen=True)
class TimeEstimate:
    reading_words: int
    questions: int
    explorers: int
    discussions: int

    @property
    def minutes(self) -> float:
        return (
            self.reading_words / READING_WORDS_PER_MINUTE
            + self.questions * MINUTES_PER_QUESTION
            + self.explorers * MINUTES_PER_MODEL_EXPLORER
            + self.discussions * MINUTES_PER_DISCUSSION
        )


def _prose_words(markdown: str) -> int:
    # Reference lists are looked up, not read through.
    body = markdown.split("## References")[0]
    return len(re.findall(r"[A-Za-z0-9£%][\w'’£%.,-]*", body))


def estimate_time(notebook) -> TimeEstimate:
    """Estimate a learner's study time from a lesson's cells."""
    markdown = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    return TimeEstimate(
        reading_words=_prose_words(markdown),
        questions=len(_QUESTION_CALL.findall(code)),
        explorers=len(_EXPLORER_CALL.findall(code)),
        discussions=len(_DISCUSSION_HEADING.findall(markdown)),
    )


def stated_minutes(notebook) -> int | None:
    """The total time a lesson's first cell states (``**Time:** about N minutes``)."""
    found = STATED_TIME.search(notebook.cells[0].source)
    return int(found.group(1)) if found else None


def question_calls(notebook) -> list[str]:
    """The question ids a lesson asks, in the order its cells ask them."""
    code = "\n\n".join(c.source for c in notebook.cells if c.cell_type == "code")
    return _QUESTION_CALL.findall(code)


# ---- references -----------------------------------------------------------------

_REFERENCE_LINE = re.compile(r"^\s*[-*]\s*\[(R\d+)\]\s+(.*)$", re.MULTILINE)
# "Author or publisher, *Title*, ... year ..."
_WELL_FORMED_REFERENCE = re.compile(r"^[^,*]*\w[^,*]*,\s+\*[^*]+\*.*\b(1[89]\d\d|20\d\d)\b")
_CITED_TAG = re.compile(r"\[(R\d+)\](?!\s*\()")


def listed_references(markdown: str) -> dict[str, str]:
    return {tag: text for tag, text in _REFERENCE_LINE.findall(markdown)}


def reference_problems(markdown: str) -> list[str]:
    """Every [Rn] cited but not listed, listed but not cited, or not well formed."""
    listed = listed_references(markdown)
    body = _REFERENCE_LINE.sub("", markdown)
    cited = set(_CITED_TAG.findall(body))
    problems = [f"[{tag}] is cited but not listed" for tag in sorted(cited - set(listed))]
    problems += [f"[{tag}] is listed but never cited" for tag in sorted(set(listed) - cited)]
    for tag, text in sorted(listed.items()):
        if not _WELL_FORMED_REFERENCE.match(text):
            problems.append(
                f"[{tag}] needs 'Author or publisher, *Title*, ... year': got {text!r}"
            )
    return problems


# ---- glossary links -------------------------------------------------------------

_BLOCK_QUOTE = re.compile(r"^>.*$", re.MULTILINE)
_HEADING = re.compile(r"^#.*$", re.MULTILINE)
_INLINE_QUOTE = re.compile(r"\u201c[^\u201c\u201d]*\u201d")
_CODE = re.compile(r"`[^`]*`")


def prose_only(markdown: str) -> str:
    """Markdown without block quotes, headings, inline quotations or code."""
    for pattern in (_BLOCK_QUOTE, _HEADING, _INLINE_QUOTE, _CODE):
        markdown = pattern.sub(" ", markdown)
    return markdown


def first_use_cell(notebook, pattern: re.Pattern) -> int | None:
    """The index of the first Markdown cell whose prose uses a term, or None."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown" and pattern.search(prose_only(cell.source)):
            return index
    return None
