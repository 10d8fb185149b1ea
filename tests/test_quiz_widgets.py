"""The widget layer: clicking Check shows feedback, scores update, results are saved."""

from __future__ import annotations

import json

import pytest

from coopcourse.quiz import LessonQuiz, progress_table
from coopcourse.quiz.progress import load_progress, record_attempt


def test_clicking_check_shows_feedback_in_an_html_widget():
    quiz = LessonQuiz("01_the_policy")
    widget = quiz.question("origin-2007")
    widget.select("B")
    widget.press_check()
    assert "Not quite" in widget.feedback.value
    assert "2002 is when the government helped set up" in widget.feedback.value
    assert 'role="status"' in widget.feedback.value

    widget.select("A")
    widget.press_check()
    assert "Correct." in widget.feedback.value
    assert "first announced in 2007" in widget.feedback.value
    assert "Source:" in widget.feedback.value
    assert "1 of 9" in widget.feedback.value


def test_check_with_nothing_chosen_gives_hint_and_records_nothing(tmp_path):
    quiz = LessonQuiz("01_the_policy")
    widget = quiz.question("origin-2007")
    widget.press_check()
    assert "Choose an answer first" in widget.feedback.value
    assert "first announced" in widget.feedback.value  # the hint's words
    assert load_progress() == {}


def test_multiple_select_widget_uses_checkboxes():
    quiz = LessonQuiz("01_the_policy")
    widget = quiz.question("who-may-opt-out")
    widget.select(["A", "B"])
    assert widget.selected == ["A", "B"]
    widget.press_check()
    assert "Partly right" in widget.feedback.value
    widget.select(["A", "B", "C"])
    assert widget.check().is_correct


def test_same_question_gives_same_widget_and_score_counts_once():
    quiz = LessonQuiz("01_the_policy")
    assert quiz.question("origin-2007") is quiz.question("origin-2007")
    for _ in range(2):
        quiz.question("origin-2007").select("A")
        quiz.question("origin-2007").check()
    assert quiz.score_text().startswith("Score for this lesson: 1 of 9")
    assert "1 of 9" in repr(quiz.scoreboard())


def test_text_fallback_shows_whole_question():
    widget = LessonQuiz("01_the_policy").question("who-wrote-it")
    bundle = widget._repr_mimebundle_()
    text = bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert text.startswith("Question 9 of 9 (choose one): Who wrote the Left Foot Forward post")
    assert text.count("( )") == 4
    assert "D. George Osborne" in text


def test_widget_parts_carry_css_classes_for_browser_tests():
    widget = LessonQuiz("01_the_policy").question("origin-2007")
    assert "coopcourse-quiz" in widget._dom_classes
    assert "coopcourse-quiz-question" in widget.prompt._dom_classes
    assert "coopcourse-quiz-options" in widget.choices._dom_classes
    assert type(widget.choices).__name__ == "ChoiceGroup"
    assert "coopcourse-quiz-feedback" in widget.feedback._dom_classes


def test_attempts_are_saved_to_the_progress_file(tmp_path, monkeypatch):
    progress = tmp_path / "deep" / "progress.json"
    monkeypatch.setenv("COOPCOURSE_PROGRESS_FILE", str(progress))
    quiz = LessonQuiz("01_the_policy")
    widget = quiz.question("origin-2007")
    widget.select("C")
    widget.check()
    widget.select("A")
    widget.check()
    saved = json.loads(progress.read_text())
    assert saved == {"01_the_policy": {"origin-2007": {"attempts": 2, "correct": True}}}
    row = next(r for r in progress_table().rows if r.lesson == "01_the_policy")
    assert (row.correct, row.questions, row.attempts) == (1, 9, 2)
    assert "The policy" in repr(progress_table())
    assert "<table" in progress_table()._repr_html_()


def test_save_progress_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPCOURSE_SAVE_PROGRESS", "0")
    quiz = LessonQuiz("01_the_policy")
    quiz.question("origin-2007").select("A")
    quiz.question("origin-2007").check()
    assert load_progress() == {}


def test_unreadable_progress_file_is_kept_aside_not_lost(tmp_path, monkeypatch):
    progress = tmp_path / "progress.json"
    progress.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("COOPCOURSE_PROGRESS_FILE", str(progress))
    record_attempt("01_the_policy", "origin-2007", True)
    assert (tmp_path / "progress.unreadable.json").read_text() == "{not json"
    assert load_progress()["01_the_policy"]["origin-2007"]["correct"] is True


def test_progress_table_reports_a_broken_bank_and_shows_the_rest(tmp_path, monkeypatch):
    from coopcourse.quiz import progress

    broken = tmp_path / "99_broken.yaml"
    broken.write_text("lesson: [", encoding="utf-8")
    good = next(p for p in progress.bank_paths() if p.stem == "01_the_policy")
    monkeypatch.setattr(progress, "bank_paths", lambda: [good, broken])
    table = progress.progress_table()
    assert [row.lesson for row in table.rows] == ["01_the_policy"]
    assert "Not shown:" in repr(table) and "99_broken.yaml" in repr(table)


def test_selection_is_reported_in_option_order_and_checked_for_type():
    quiz = LessonQuiz("01_the_policy")
    many = quiz.question("who-may-opt-out")
    many.choices.value = ["C", "A"]  # as the browser would send it
    assert many.selected == ["A", "C"]
    one = quiz.question("origin-2007")
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
