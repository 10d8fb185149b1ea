"""The widget view of one question.

Native controls in a named group (see :mod:`coopcourse.quiz.choice_group`)
keep it usable by keyboard and answer Check in the browser; CSS classes on each
part give browser tests stable selectors; ``shown_feedback`` gives tests the
feedback as HTML; and the plain-text repr shows the question wherever widgets
do not render.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from coopcourse.quiz.bank import Question
from coopcourse.quiz.choice_group import ChoiceGroup
from coopcourse.quiz.verdict import (
    CORRECT,
    NO_CHOICE,
    PARTIAL,
    Verdict,
    check_answer,
    every_verdict,
)
from coopcourse.widget_text import FullTextRepr

# Words and symbols, not colour alone, carry the verdict.
_VERDICT_MARKS = {CORRECT: "\u2714", PARTIAL: "\u25d1", NO_CHOICE: "\u2139"}


def question_text(question: Question, number: int | None = None, total: int | None = None) -> str:
    """The question and its options as plain text (the widget's fallback and repr)."""
    kind = "choose one" if question.type == "single" else "choose all that apply"
    where = f"Question {number} of {total}" if number and total else "Question"
    box = "( )" if question.type == "single" else "[ ]"
    lines = [f"{where} ({kind}): {question.prompt}"]
    lines += [f"  {box} {option.key}. {option.text}" for option in question.options]
    return "\n".join(lines)


def verdict_body(result: Verdict) -> str:
    """A verdict as HTML: the headline, the options explained and, once right, the source."""
    mark = _VERDICT_MARKS.get(result.status, "\u2718")
    parts = [f"<p><strong>{mark} {html.escape(result.headline)}</strong></p>"]
    if result.explained:
        items = "".join(
            f"<li><strong>{option.key}</strong> ({'right' if option.correct else 'wrong'}): "
            f"{html.escape(option.why)}</li>"
            for option in result.explained
        )
        parts.append(f"<ul>{items}</ul>")
    if result.source:
        parts.append(f"<p><em>Source:</em> {html.escape(result.source)}</p>")
    return "".join(parts)


def feedback_html(result: Verdict, score_line: str = "", *, live_region: bool = True) -> str:
    """A verdict and the score line, as a quiz shows them: inside a polite live region,
    or (``live_region=False``) plain, for a page whose feedback box is the region."""
    score = (
        f'<p class="coopcourse-quiz-score-line">{html.escape(score_line)}</p>' if score_line else ""
    )
    region = 'role="status" aria-live="polite" ' if live_region else ""
    return (
        f'<div {region}class="coopcourse-feedback coopcourse-feedback-{result.status}">'
        f"{verdict_body(result)}{score}</div>"
    )


def _verdict_state(result: Verdict) -> dict[str, str]:
    """A verdict as the front end shows it (see ChoiceGroup.verdicts)."""
    return {"status": result.status, "html": verdict_body(result)}


class QuestionWidget(FullTextRepr, widgets.VBox):
    """One question: prompt, then options, Check button and feedback (one ChoiceGroup)."""

    def __init__(
        self,
        question: Question,
        number: int | None = None,
        total: int | None = None,
        on_check: Callable[[Question, Verdict], str] | None = None,
    ):
        self.question = question
        self.number, self.total = number, total
        self._on_check = on_check
        self.last_result: Verdict | None = None

        label = f"Question {number}: " if number else ""
        self.prompt = widgets.HTML(
            f"<p><strong>{html.escape(label)}</strong>{html.escape(question.prompt)}</p>"
        )
        self.prompt.add_class("coopcourse-quiz-question")
        self.choices = ChoiceGroup(
            options=[[o.key, f"{o.key}. {o.text}"] for o in question.options],
            multiple=question.type == "multiple",
            group_label=f"{label}{question.prompt}",
            verdicts={key: _verdict_state(v) for key, v in every_verdict(question).items()},
        )
        self.choices.add_class("coopcourse-quiz-options")
        self.choices.observe(lambda _change: self.check(), names="check_requests")
        super().__init__([self.prompt, self.choices])
        self.add_class("coopcourse-quiz")

    # -- reading and setting the learner's choice ---------------------------
    @property
    def selected(self):
        """The chosen key (single choice) or list of keys (multiple select)."""
        chosen = [o.key for o in self.question.options if o.key in self.choices.value]
        if self.question.type == "single":
            return chosen[0] if chosen else None
        return chosen

    def select(self, choice) -> None:
        """Set the choice programmatically, as a learner's click would."""
        if self.question.type == "single":
            if choice is not None and not isinstance(choice, str):
                raise TypeError(f"Question {self.question.id!r} takes one option key such as 'A'")
            self.choices.value = [choice] if choice else []
        else:
            if isinstance(choice, str):
                raise TypeError(
                    f"Question {self.question.id!r} takes a list of option keys such as ['A', 'C']"
                )
            self.choices.value = list(choice or ())

    def press_check(self) -> None:
        """Press Check as a learner would (the front end's message to the kernel)."""
        self.choices.press_check()

    def check(self) -> Verdict:
        """What Check does in the kernel: judge the choice, record it, send verdict and score."""
        result = check_answer(self.question, self.selected)
        self.last_result = result
        score_line = ""
        if self._on_check and result.status != NO_CHOICE:
            score_line = self._on_check(self.question, result)
        self.choices.verdict = {
            **_verdict_state(result),
            "score": score_line,
            "request": self.choices.check_requests,
        }
        return result

    @property
    def shown_feedback(self) -> str:
        """The last Check's verdict and score line as one block of HTML ("" before any);
        the page shows the same text, with the score line in a live region of its own."""
        if self.last_result is None:
            return ""
        return feedback_html(self.last_result, self.choices.verdict["score"])

    # -- text fallback --------------------------------------------------------
    def __repr__(self) -> str:
        return question_text(self.question, self.number, self.total)
