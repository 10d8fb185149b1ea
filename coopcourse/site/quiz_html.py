"""A bank question as static HTML, for the course website.

The site has no kernel, so every piece of feedback the widget would show is
worked out here, in Python, with the quiz engine's own functions
(:func:`coopcourse.quiz.verdict.every_verdict` and
:func:`coopcourse.quiz.widgets.feedback_html`), and stored with the question
as JSON: the feedback for each possible choice (every option of a choose-one
question, every non-empty set of options of a choose-all question) and for no
choice. The page's script only looks the learner's choice up and shows what
Python wrote, so the wording is the engine's, word for word.
"""

from __future__ import annotations

import html
import json
from types import SimpleNamespace

from coopcourse.quiz.bank import Bank, Question
from coopcourse.quiz.lesson import LessonQuiz
from coopcourse.quiz.verdict import every_verdict
from coopcourse.quiz.widgets import feedback_html

# Stand-in for the number of questions answered correctly in the score line.
_SCORE_SENTINEL = 987654


def feedback_table(question: Question) -> dict[str, dict]:
    """Feedback for every choice: status, verdict and HTML.

    Keyed by :func:`~coopcourse.quiz.verdict.choice_key`.
    """
    return {
        key: {"status": verdict.status, "correct": verdict.is_correct,
              # The quiz's permanent feedback box is the live region (one added
              # later is often not announced), so the feedback brings none.
              "html": feedback_html(verdict, live_region=False)}
        for key, verdict in every_verdict(question).items()
    }


def score_template(bank: Bank) -> str:
    """The engine's score line with ``{correct}`` where the number answered correctly goes."""
    text = LessonQuiz.score_text(
        SimpleNamespace(answered_correctly=range(_SCORE_SENTINEL), total=len(bank.questions))
    )
    return text.replace(str(_SCORE_SENTINEL), "{correct}")


def _json_for_script(data) -> str:
    """JSON that can sit inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def question_html(bank: Bank, question_id: str) -> str:
    """One question as a form: a fieldset of native inputs, Check, and a live feedback region."""
    question = bank.get(question_id)
    number = bank.number_of(question_id)
    name = f"coopcourse-{bank.lesson}-{question.id}"
    control = "radio" if question.type == "single" else "checkbox"
    kind = "Choose one." if question.type == "single" else "Choose all that apply."
    options = "".join(
        f'<label class="coopcourse-quiz-option"><input type="{control}" name="{html.escape(name)}"'
        f' value="{option.key}"><span>{html.escape(option.key)}. {html.escape(option.text)}'
        "</span></label>"
        for option in question.options
    )
    data = {
        "lesson": bank.lesson,
        "question": question.id,
        "type": question.type,
        "feedback": feedback_table(question),
        "score": score_template(bank),
        "total": len(bank.questions),
    }
    return (
        '<div class="coopcourse-quiz coopcourse-site-quiz"'
        f' data-lesson="{html.escape(bank.lesson)}"'
        f' data-question="{html.escape(question.id)}" data-type="{question.type}">'
        '<fieldset class="coopcourse-quiz-fieldset">'
        f'<legend class="coopcourse-quiz-question"><strong>Question {number}: </strong>'
        f"{html.escape(question.prompt)}"
        f' <span class="coopcourse-quiz-kind">{kind}</span></legend>'
        f'<div class="coopcourse-quiz-options">{options}</div>'
        "</fieldset>"
        '<button type="button" class="coopcourse-quiz-check">Check</button>'
        '<div class="coopcourse-quiz-feedback" role="status" aria-live="polite"></div>'
        f'<script type="application/json" class="coopcourse-quiz-data">{_json_for_script(data)}'
        "</script></div>"
    )


def score_html(bank: Bank) -> str:
    """The lesson's score line, filled in from the browser's storage by the page's script."""
    template = score_template(bank)
    return (
        f'<p class="coopcourse-site-score" role="status" aria-live="polite"'
        f' data-lesson="{html.escape(bank.lesson)}" data-total="{len(bank.questions)}"'
        f' data-template="{html.escape(template)}">'
        f"{html.escape(template.format(correct=0))}</p>"
    )


def progress_html(banks: list[Bank]) -> str:
    """The course's progress table, as this browser has recorded it."""
    rows = "".join(
        f'<tr data-lesson="{html.escape(bank.lesson)}" data-total="{len(bank.questions)}">'
        f"<td>{html.escape(bank.title)}</td>"
        f'<td class="coopcourse-progress-correct">0 of {len(bank.questions)}</td>'
        '<td class="coopcourse-progress-attempts">0</td></tr>'
        for bank in banks
    )
    return (
        '<table class="coopcourse-progress coopcourse-site-progress">'
        "<caption>Your quiz progress (kept by this browser)</caption>"
        '<thead><tr><th scope="col">Lesson</th><th scope="col">Correct</th>'
        f'<th scope="col">Attempts</th></tr></thead><tbody>{rows}</tbody></table>'
    )
