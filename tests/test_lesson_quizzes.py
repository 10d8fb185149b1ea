"""Each lesson's quizzes answered programmatically inside the running notebook.

The lesson is executed in a real kernel; then a cell sets each question's value
(nothing, a wrong option, the right option), clicks Check, and reports the
feedback HTML, which is compared with the bank's explanations.
"""

from __future__ import annotations

import html
import json
import os

import nbformat
import pytest
from nbclient import NotebookClient

from coopcourse.quiz import load_bank
from tests.lesson_files import LESSONS, read

ANSWER_EVERY_QUESTION = """
import json as _json
_feedback = {}
for _id, _widget in quiz.widgets.items():
    _question = _widget.question
    _single = _question.type == "single"
    _wrong = next(o.key for o in _question.options if not o.correct)
    _right = sorted(_question.correct_keys)
    _seen = []
    for _choice in (None if _single else [], _wrong if _single else [_wrong],
                    _right[0] if _single else _right):
        _widget.select(_choice)
        _widget.press_check()
        _seen.append(_widget.shown_feedback)
    _feedback[_id] = _seen
print(_json.dumps(_feedback))
"""


def answered_feedback(lesson, tmp_path) -> dict[str, list[str]]:
    notebook = read(lesson)
    notebook.cells.append(nbformat.v4.new_code_cell(ANSWER_EVERY_QUESTION))
    client = NotebookClient(
        notebook, timeout=180, kernel_name="python3",
        resources={"metadata": {"path": str(lesson.parent)}},
    )
    # A kernel given ``env`` gets exactly that environment, so extend ours.
    client.execute(env={**os.environ, "COOPCOURSE_PROGRESS_FILE": str(tmp_path / "progress.json")})
    stream = notebook.cells[-1].outputs[0]
    return json.loads(stream["text"])


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_quiz_answers_in_the_notebook(lesson, tmp_path):
    bank = load_bank(lesson.stem)
    feedback = answered_feedback(lesson, tmp_path)
    assert set(feedback) == {q.id for q in bank.questions}
    for question in bank.questions:
        nothing, wrong, right = feedback[question.id]
        wrong_option = next(o for o in question.options if not o.correct)
        assert "Choose an answer first" in nothing
        assert html.escape(question.hint) in nothing
        assert "Correct." not in wrong
        assert html.escape(wrong_option.why) in wrong
        assert "Correct." in right
        for option in question.options:
            assert html.escape(option.why) in right, f"{question.id}: {option.key} not explained"
        assert html.escape(question.source) in right
