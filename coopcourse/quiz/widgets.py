"""The ipywidgets view of one question.

Native controls (radio buttons, checkboxes, a button) keep it usable by
keyboard; CSS classes on each part give browser tests stable selectors; the
feedback is an HTML widget (not an Output widget) so nbval and tests can read
it; and the plain-text repr shows the question wherever widgets do not render.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from coopcourse.quiz.bank import Question
from coopcourse.quiz.checking import CORRECT, NO_CHOICE, PARTIAL, CheckResult, check_answer

# ipywidgets gives each radio label a fixed one-line height and cuts checkbox
# labels with an ellipsis, so long options overlap or are cut off. Let them wrap.
QUIZ_CSS = (
    ".coopcourse-quiz .widget-html-content{line-height:1.45}"
    ".coopcourse-quiz .widget-radio-box label,.coopcourse-quiz .widget-checkbox label{"
    "display:flex;align-items:flex-start;gap:.5em;height:auto;line-height:1.45;"
    "white-space:normal;overflow:visible;padding:2px 0}"
    ".coopcourse-quiz .widget-radio-box input,.coopcourse-quiz .widget-checkbox input{"
    "order:-1;float:none;flex:none;height:auto;margin:.2em 0 0}"
    ".coopcourse-quiz .widget-checkbox{height:auto}"
)

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


def feedback_html(result: CheckResult, score_line: str = "") -> str:
    """Render a check result as HTML inside a polite live region."""
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
    if score_line:
        parts.append(f'<p class="coopcourse-quiz-score-line">{html.escape(score_line)}</p>')
    return (
        f'<div role="status" aria-live="polite" '
        f'class="coopcourse-feedback coopcourse-feedback-{result.status}">{"".join(parts)}</div>'
    )


class QuestionWidget(widgets.VBox):
    """One question: prompt, options, a Check button and the feedback area."""

    def __init__(
        self,
        question: Question,
        number: int | None = None,
        total: int | None = None,
        on_check: Callable[[Question, CheckResult], str] | None = None,
    ):
        self.question = question
        self.number, self.total = number, total
        self._on_check = on_check
        self.last_result: CheckResult | None = None

        label = f"Question {number}: " if number else ""
        self.prompt = widgets.HTML(
            f"<style>{QUIZ_CSS}</style>"
            f"<p><strong>{html.escape(label)}</strong>{html.escape(question.prompt)}</p>"
        )
        self.prompt.add_class("coopcourse-quiz-question")
        if question.type == "single":
            self.choices = widgets.RadioButtons(
                options=[(f"{o.key}. {o.text}", o.key) for o in question.options],
                value=None,
                layout=widgets.Layout(width="auto"),
            )
        else:
            self.choices = widgets.VBox(
                [
                    widgets.Checkbox(
                        value=False,
                        description=f"{o.key}. {o.text}",
                        indent=False,
                        layout=widgets.Layout(width="auto"),
                    )
                    for o in question.options
                ]
            )
        self.choices.add_class("coopcourse-quiz-options")
        self.check_button = widgets.Button(
            description="Check",
            tooltip="Check your answer",
            button_style="primary",
        )
        self.check_button.add_class("coopcourse-quiz-check")
        self.check_button.on_click(lambda _button: self.check())
        self.feedback = widgets.HTML(value="")
        self.feedback.add_class("coopcourse-quiz-feedback")
        super().__init__([self.prompt, self.choices, self.check_button, self.feedback])
        self.add_class("coopcourse-quiz")

    # -- reading and setting the learner's choice ---------------------------
    @property
    def selected(self):
        """The chosen key (single choice) or list of keys (multiple select)."""
        if self.question.type == "single":
            return self.choices.value
        return [o.key for o, box in zip(self.question.options, self.choices.children, strict=True)
                if box.value]

    def select(self, choice) -> None:
        """Set the choice programmatically, as a learner's click would."""
        if self.question.type == "single":
            self.choices.value = choice
        else:
            wanted = set(choice or ())
            for option, box in zip(self.question.options, self.choices.children, strict=True):
                box.value = option.key in wanted

    def check(self) -> CheckResult:
        """What the Check button does: judge the choice and show feedback."""
        result = check_answer(self.question, self.selected)
        self.last_result = result
        score_line = ""
        if self._on_check and result.status != NO_CHOICE:
            score_line = self._on_check(self.question, result)
        self.feedback.value = feedback_html(result, score_line)
        return result

    # -- text fallback --------------------------------------------------------
    def __repr__(self) -> str:
        return question_text(self.question, self.number, self.total)

    def _repr_mimebundle_(self, **kwargs):
        # ipywidgets cuts text/plain at 110 characters; give the whole question.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/plain"] = repr(self)
        return bundle
