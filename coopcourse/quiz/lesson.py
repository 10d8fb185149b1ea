"""A lesson's quiz: its bank, one widget per question and a running score."""

from __future__ import annotations

import contextlib
import html
import os

import ipywidgets as widgets

from coopcourse.quiz.bank import Question, load_bank
from coopcourse.quiz.progress import record_attempt
from coopcourse.quiz.verdict import Verdict
from coopcourse.quiz.widgets import QuestionWidget
from coopcourse.widget_text import FullTextRepr


class LessonQuiz:
    """All questions of one lesson's bank, shown one at a time where the lesson asks them."""

    def __init__(self, lesson: str, *, save_progress: bool | None = None):
        self.bank = load_bank(lesson)
        if save_progress is None:
            save_progress = os.environ.get("COOPCOURSE_SAVE_PROGRESS", "1") != "0"
        self.save_progress = save_progress
        self.answered_correctly: set[str] = set()
        self.widgets: dict[str, QuestionWidget] = {}
        self._score = widgets.HTML(self._score_html())
        self._score.add_class("coopcourse-quiz-score")

    @property
    def total(self) -> int:
        return len(self.bank.questions)

    def question(self, question_id: str) -> QuestionWidget:
        """The widget for one question (the same object if asked for twice)."""
        if question_id not in self.widgets:
            self.widgets[question_id] = QuestionWidget(
                self.bank.get(question_id),
                number=self.bank.number_of(question_id),
                total=self.total,
                on_check=self._record,
            )
        return self.widgets[question_id]

    def _record(self, question: Question, result: Verdict) -> str:
        if result.is_correct:
            self.answered_correctly.add(question.id)
        if self.save_progress:
            # A read-only home folder must not stop the quiz working.
            with contextlib.suppress(OSError):
                record_attempt(self.bank.lesson, question.id, result.is_correct)
        self._score.value = self._score_html()
        return self.score_text()

    def score_text(self) -> str:
        return (
            f"Score for this lesson: {len(self.answered_correctly)} of {self.total} "
            "questions answered correctly."
        )

    def _score_html(self) -> str:
        return f'<p role="status" aria-live="polite">{html.escape(self.score_text())}</p>'

    def scoreboard(self) -> widgets.VBox:
        """The running score widget; it updates as questions are checked."""
        return _ScoreBoard(self)


class _ScoreBoard(FullTextRepr, widgets.VBox):
    def __init__(self, quiz: LessonQuiz):
        self._quiz = quiz
        super().__init__([quiz._score])
        self.add_class("coopcourse-quiz-scoreboard")

    def __repr__(self) -> str:
        return self._quiz.score_text()
