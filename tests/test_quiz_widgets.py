"""The widget layer: clicking Check shows feedback, scores update, results are saved.

The tests use a small bank of their own, so a change to a lesson's questions
never breaks them.
"""

from __future__ import annotations

import json
import textwrap

import pytest

from coopcourse.quiz import LessonQuiz, progress, progress_table
from coopcourse.quiz import lesson as lesson_module
from coopcourse.quiz.bank import load_bank_file
from coopcourse.quiz.progress import load_progress, record_attempt
from coopcourse.quiz.verdict import every_verdict

LESSON = "98_widget_test"
BANK = f"""
lesson: {LESSON}
title: Widget test lesson
questions:
  - id: origin-year
    type: single
    prompt: When was the plan first announced?
    source: FT report, paragraph on the 2007 origin
    hint: Look for the words "first announced".
    skill: recall
    options:
      - {{text: "In 2007", correct: true, why: "First announced in 2007, says the FT."}}
      - {{text: "In 2002", correct: false, why: "2002 is when a strategy was published."}}
      - {{text: "In 2009", correct: false, why: "By 2009 it was two years old."}}
      - {{text: "In 2010", correct: false, why: "2010 is the relaunch, not the start."}}
  - id: who-may-opt-out
    type: multiple
    prompt: Which staff could opt out? Choose all that apply.
    source: FT report, Q&A
    hint: The Q&A lists them in one sentence.
    skill: recall
    options:
      - {{text: Community nurses, correct: true, why: "Named in the Q&A's list of staff."}}
      - {{text: Teachers, correct: true, why: "Named in the Q&A's list of staff."}}
      - {{text: Job-centre staff, correct: true, why: "Named in the Q&A's list of staff."}}
      - {{text: Judges, correct: false, why: "The FT does not mention the courts at all."}}
  - id: who-wrote-it
    type: single
    prompt: Who wrote the Left Foot Forward post?
    source: LFF post, byline
    hint: Read the byline.
    skill: recall
    options:
      - {{text: Thomas Haynes, correct: true, why: "The byline names him as author."}}
      - {{text: Will Straw, correct: false, why: "He put the post up; he did not write it."}}
      - {{text: James Crabtree, correct: false, why: "He commented; he did not write it."}}
      - {{text: George Osborne, correct: false, why: "The post responds to his launch."}}
"""


@pytest.fixture(autouse=True)
def widget_test_bank(tmp_path, monkeypatch):
    """Serve the test bank to LessonQuiz and to the progress table."""
    path = tmp_path / f"{LESSON}.yaml"
    path.write_text(textwrap.dedent(BANK), encoding="utf-8")
    bank = load_bank_file(path)
    monkeypatch.setattr(lesson_module, "load_bank", lambda lesson: bank)
    monkeypatch.setattr(progress, "bank_paths", lambda: [path])
    return path


def test_clicking_check_shows_feedback():
    quiz = LessonQuiz(LESSON)
    widget = quiz.question("origin-year")
    widget.select("B")
    widget.press_check()
    assert "Not quite" in widget.shown_feedback
    assert "2002 is when a strategy was published" in widget.shown_feedback
    assert 'role="status"' in widget.shown_feedback

    widget.select("A")
    widget.press_check()
    assert "Correct." in widget.shown_feedback
    assert "First announced in 2007" in widget.shown_feedback
    assert "Source:" in widget.shown_feedback
    assert "1 of 3" in widget.shown_feedback


def test_check_with_nothing_chosen_gives_hint_and_records_nothing(tmp_path):
    quiz = LessonQuiz(LESSON)
    widget = quiz.question("origin-year")
    widget.press_check()
    assert "Choose an answer first" in widget.shown_feedback
    assert "first announced" in widget.shown_feedback  # the hint's words
    assert load_progress() == {}


def test_multiple_select_widget_uses_checkboxes():
    quiz = LessonQuiz(LESSON)
    widget = quiz.question("who-may-opt-out")
    widget.select(["A", "B"])
    assert widget.selected == ["A", "B"]
    widget.press_check()
    assert "Partly right" in widget.shown_feedback
    widget.select(["A", "B", "C"])
    assert widget.check().is_correct


def test_same_question_gives_same_widget_and_score_counts_once():
    quiz = LessonQuiz(LESSON)
    assert quiz.question("origin-year") is quiz.question("origin-year")
    for _ in range(2):
        quiz.question("origin-year").select("A")
        quiz.question("origin-year").check()
    assert quiz.score_text().startswith("Score for this lesson: 1 of 3")
    assert "1 of 3" in repr(quiz.scoreboard())


def test_text_fallback_shows_whole_question():
    widget = LessonQuiz(LESSON).question("who-wrote-it")
    bundle = widget._repr_mimebundle_()
    text = bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert text.startswith("Question 3 of 3 (choose one): Who wrote the Left Foot Forward post")
    assert text.count("( )") == 4
    assert "D. George Osborne" in text


def test_widget_parts_carry_css_classes_for_browser_tests():
    widget = LessonQuiz(LESSON).question("origin-year")
    assert "coopcourse-quiz" in widget._dom_classes
    assert "coopcourse-quiz-question" in widget.prompt._dom_classes
    assert "coopcourse-quiz-options" in widget.choices._dom_classes
    assert type(widget.choices).__name__ == "ChoiceGroup"
    assert widget.children == (widget.prompt, widget.choices)  # feedback is the group's


def test_the_page_holds_the_kernels_verdict_for_every_choice():
    """Check is answered in the browser from ``verdicts``: it must be what Python says."""
    quiz = LessonQuiz(LESSON)
    for question_id, choices in {
        "origin-year": [None, "A", "B", "C", "D"],
        "who-may-opt-out": [[], ["A"], ["D"], ["A", "D"], ["A", "B", "C"], ["A", "B", "C", "D"]],
    }.items():
        widget = quiz.question(question_id)
        table = widget.choices.verdicts
        expected_size = 5 if question_id == "origin-year" else 2**4
        assert len(table) == expected_size  # every option (or set of options), and none
        for choice in choices:
            widget.select(choice)
            widget.press_check()
            key = ",".join(sorted([choice] if isinstance(choice, str) else choice or []))
            shown = widget.choices.verdict
            assert table[key] == {"status": shown["status"], "html": shown["html"]}
            assert shown["request"] == widget.choices.check_requests
            assert table[key]["html"] in widget.shown_feedback


def test_the_score_line_comes_from_the_kernel_only_for_a_real_choice():
    widget = LessonQuiz(LESSON).question("origin-year")
    widget.select("A")
    widget.press_check()
    assert widget.choices.verdict["score"].startswith("Score for this lesson: 1 of 3")
    widget.select(None)
    widget.press_check()
    assert widget.choices.verdict["score"] == ""
    assert widget.choices.verdict["status"] == "no_choice"


def test_attempts_are_saved_to_the_progress_file(tmp_path, monkeypatch):
    progress_file = tmp_path / "deep" / "progress.json"
    monkeypatch.setenv("COOPCOURSE_PROGRESS_FILE", str(progress_file))
    quiz = LessonQuiz(LESSON)
    widget = quiz.question("origin-year")
    widget.select("C")
    widget.check()
    widget.select("A")
    widget.check()
    saved = json.loads(progress_file.read_text())
    assert saved == {LESSON: {"origin-year": {"attempts": 2, "correct": True}}}
    row = next(r for r in progress_table().rows if r.lesson == LESSON)
    assert (row.correct, row.questions, row.attempts) == (1, 3, 2)
    assert "Widget test lesson" in repr(progress_table())
    assert "<table" in progress_table()._repr_html_()


def test_save_progress_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPCOURSE_SAVE_PROGRESS", "0")
    quiz = LessonQuiz(LESSON)
    quiz.question("origin-year").select("A")
    quiz.question("origin-year").check()
    assert load_progress() == {}


def test_unreadable_progress_file_is_kept_aside_not_lost(tmp_path, monkeypatch):
    progress_file = tmp_path / "progress.json"
    progress_file.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("COOPCOURSE_PROGRESS_FILE", str(progress_file))
    record_attempt(LESSON, "origin-year", True)
    assert (tmp_path / "progress.unreadable.json").read_text() == "{not json"
    assert load_progress()[LESSON]["origin-year"]["correct"] is True


def test_progress_table_reports_a_broken_bank_and_shows_the_rest(
    tmp_path, monkeypatch, widget_test_bank
):
    broken = tmp_path / "99_broken.yaml"
    broken.write_text("lesson: [", encoding="utf-8")
    monkeypatch.setattr(progress, "bank_paths", lambda: [widget_test_bank, broken])
    table = progress.progress_table()
    assert [row.lesson for row in table.rows] == [LESSON]
    assert "Not shown:" in repr(table) and "99_broken.yaml" in repr(table)


def test_selection_is_reported_in_option_order_and_checked_for_type():
    quiz = LessonQuiz(LESSON)
    many = quiz.question("who-may-opt-out")
    many.choices.value = ["C", "A"]  # as the browser would send it
    assert many.selected == ["A", "C"]
    one = quiz.question("origin-year")
    one.choices.value = ["B"]
    assert one.selected == "B"
    with pytest.raises(TypeError, match="one option key"):
        one.select(["A"])
    with pytest.raises(TypeError, match="list of option keys"):
        many.select("A")


def test_front_end_assets_ship_with_the_package():
    from coopcourse.quiz.choice_group import ChoiceGroup

    widget = ChoiceGroup(options=[["A", "A. yes"], ["B", "B. no"]])
    assert "data-lm-suppress-shortcuts" in str(widget._esm)
    assert "coopcourse-quiz-option" in str(widget._css)


def test_every_bank_questions_verdict_table_stays_small():
    """Each widget carries its question's verdicts to the page; a choose-all question's
    table doubles with each option, so a bank cannot grow one past what a page loads quickly."""
    from coopcourse.quiz.bank import bank_paths
    from coopcourse.quiz.widgets import _verdict_state

    for path in bank_paths():
        for question in load_bank_file(path).questions:
            table = {k: _verdict_state(v) for k, v in every_verdict(question).items()}
            size = len(json.dumps(table))
            assert size < 100_000, f"{path.name} {question.id}: verdicts are {size} bytes"
