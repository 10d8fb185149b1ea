"""Pure answer checking: no widgets, so tests and graders can call it directly."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from coopcourse.quiz.bank import Option, Question

CORRECT, INCORRECT, PARTIAL, NO_CHOICE = "correct", "incorrect", "partial", "no_choice"


@dataclass(frozen=True)
class Verdict:
    """The verdict on one attempt and the explanations to show with it."""

    status: str
    headline: str
    explained: tuple[Option, ...]  # the options whose "why" the learner should read now
    source: str | None  # shown once the question is answered correctly

    @property
    def is_correct(self) -> bool:
        return self.status == CORRECT

    def as_text(self) -> str:
        lines = [self.headline]
        for option in self.explained:
            verdict = "right" if option.correct else "wrong"
            lines.append(f"{option.key} ({verdict}): {option.why}")
        if self.source:
            lines.append(f"Source: {self.source}")
        return "\n".join(lines)


def _selected_keys(question: Question, selected) -> frozenset[str]:
    """Validate the learner's choice and return it as a set of option keys."""
    if selected is None:
        return frozenset()
    if question.type == "single":
        if not isinstance(selected, str):
            raise TypeError(
                f"Question {question.id!r} takes one option key such as 'A', "
                f"not {type(selected).__name__}"
            )
        keys = frozenset([selected]) if selected else frozenset()
    else:
        if isinstance(selected, str) or not isinstance(selected, Iterable):
            raise TypeError(
                f"Question {question.id!r} takes a collection of option keys such as "
                f"['A', 'C'], not {type(selected).__name__}"
            )
        keys = frozenset(selected)
        if not all(isinstance(key, str) for key in keys):
            raise TypeError(f"Question {question.id!r}: option keys must be text such as 'A'")
    known = {option.key for option in question.options}
    unknown = sorted(keys - known)
    if unknown:
        raise ValueError(
            f"Question {question.id!r} has no option {', '.join(unknown)}; "
            f"its options are {', '.join(sorted(known))}"
        )
    return keys


def check_answer(question: Question, selected) -> Verdict:
    """Check ``selected`` (a key for single choice, a collection for multiple select).

    No choice gives the hint; a wrong or partial answer explains the options
    chosen (so the right one is not given away); a right answer explains all.
    """
    keys = _selected_keys(question, selected)
    if not keys:
        return Verdict(NO_CHOICE, f"Choose an answer first. Hint: {question.hint}", (), None)
    chosen = tuple(option for option in question.options if option.key in keys)
    if keys == question.correct_keys:
        return Verdict(CORRECT, "Correct.", question.options, question.source)
    if question.type == "multiple":
        right = len(keys & question.correct_keys)
        wrong = len(keys - question.correct_keys)
        missing = len(question.correct_keys - keys)
        if right:
            headline = (
                f"Partly right: {right} correct choice(s), {wrong} wrong, "
                f"{missing} correct option(s) not yet chosen. Try again."
            )
            return Verdict(PARTIAL, headline, chosen, None)
    return Verdict(INCORRECT, "Not quite. Read why, then try again.", chosen, None)


def choice_key(keys) -> str:
    """A choice as text: its option keys in order, joined by commas ("" for no choice)."""
    return ",".join(sorted(keys))


def possible_choices(question: Question) -> list[tuple[str, ...]]:
    """Every choice a learner can make, besides none."""
    keys = [option.key for option in question.options]
    if question.type == "single":
        return [(key,) for key in keys]
    return [
        combo for size in range(1, len(keys) + 1) for combo in itertools.combinations(keys, size)
    ]


def every_verdict(question: Question) -> dict[str, Verdict]:
    """The verdict on every possible choice, and on none, keyed by :func:`choice_key`.

    A page that holds this table can answer Check by itself, without asking
    Python; the verdicts are still :func:`check_answer`'s own.
    """
    if any("," in option.key for option in question.options):
        raise ValueError(f"Question {question.id!r}: an option key holds a comma")
    table = {}
    for keys in [(), *possible_choices(question)]:
        selected = (keys[0] if keys else None) if question.type == "single" else list(keys)
        table[choice_key(keys)] = check_answer(question, selected)
    return table
