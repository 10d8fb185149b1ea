"""Every lesson, run in JupyterLab in Chromium: no errors, quizzes render and answer.

Tests in this module share one opened lesson at a time (the module-scoped
``lesson`` fixture), so they run in the order written, per lesson.
"""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail in CI) and say how to install it
    expect = None

from tests.browser.lab import labpage

from .conftest import uses_models

pytestmark = pytest.mark.browser


def _require_quizzes(lesson) -> None:
    """Skip a lesson without quizzes; fail fast (no waiting) if its quizzes never rendered."""
    if not lesson.shown_ids:
        pytest.skip(f"{lesson.name} shows no quiz question")
    if not lesson.run_ok or lesson.render_problem:
        pytest.fail(
            f"{lesson.name} did not run to the end in JupyterLab "
            f"({lesson.render_problem or 'see test_lesson_runs_without_errors'})",
            pytrace=False,
        )


def _first_quiz_id(lesson) -> str:
    _require_quizzes(lesson)
    return lesson.shown_ids[0]


def test_lesson_runs_without_errors(lesson):
    code = [cell for cell in lesson.cells if cell.type == "code"]
    not_run = [cell.index for cell in code if cell.execution_count is None]
    errors = {cell.index: cell.errors for cell in code if cell.errors}
    stderr = {cell.index: cell.stderr for cell in code if cell.stderr}
    assert not errors, f"{lesson.name}: cells with errors (cell index: error): {errors}"
    assert not stderr, f"{lesson.name}: cells writing to stderr: {stderr}"
    assert lesson.run_ok, f"{lesson.name}: JupyterLab reports that run-all did not finish"
    assert not not_run, f"{lesson.name}: code cells never executed: {not_run}"
    shown_red = lesson.page.locator(labpage.STDERR_OUTPUT)
    assert shown_red.count() == 0, shown_red.first.inner_text()[:500]
    broken = lesson.page.get_by_text("Error displaying widget")
    assert broken.count() == 0, f"{lesson.name}: a widget failed to render"
    crashes = [line for line in lesson.browser.log if line.startswith("[pageerror]")]
    assert not crashes, f"{lesson.name}: JavaScript errors in the page: {crashes}"


def test_every_quiz_renders(lesson):
    _require_quizzes(lesson)
    quizzes = lesson.quizzes()
    assert quizzes.count() == len(lesson.shown_ids), (
        f"{lesson.name}: {len(lesson.shown_ids)} quiz cells but "
        f"{quizzes.count()} quizzes rendered"
    )
    shown_numbers = [labpage.question_number(quizzes.nth(i)) for i in range(quizzes.count())]
    expected = [lesson.bank.number_of(qid) for qid in lesson.shown_ids]
    assert shown_numbers == expected
    for qid in lesson.shown_ids:
        question = lesson.bank.get(qid)
        quiz = lesson.quiz_for(qid)
        role = "radio" if question.type == "single" else "checkbox"
        assert quiz.get_by_role(role).count() == len(question.options), qid


def test_quiz_feedback_hint_wrong_then_right(lesson, screenshot_dir):
    """No choice gives the hint; a wrong choice explains why; the right one is marked right."""
    qid = _first_quiz_id(lesson)
    question = lesson.bank.get(qid)
    quiz = lesson.quiz_for(qid)
    quiz.scroll_into_view_if_needed()
    if screenshot_dir:
        quiz.screenshot(path=str(screenshot_dir / f"{lesson.name}-{qid}-0-before.png"))

    labpage.press_check(quiz)
    hint = labpage.feedback(quiz, "no_choice")
    assert question.hint in _squash(hint.inner_text())

    wrong = labpage.wrong_keys(question)
    labpage.choose(quiz, question, wrong)
    labpage.press_check(quiz)
    verdict = labpage.feedback(quiz, "incorrect")
    text = _squash(verdict.inner_text())
    assert "Not quite" in text and "\u2718" in text, text  # words and a mark, not colour only
    assert _squash(question.option(wrong[0]).why) in text
    if screenshot_dir:
        quiz.screenshot(path=str(screenshot_dir / f"{lesson.name}-{qid}-1-wrong.png"))

    labpage.choose(quiz, question, sorted(question.correct_keys))
    labpage.press_check(quiz)
    verdict = labpage.feedback(quiz, "correct")
    text = _squash(verdict.inner_text())
    assert "Correct." in text and "\u2714" in text, text
    for option in question.options:
        assert _squash(option.why) in text
    assert _squash(question.source) in text
    if screenshot_dir:
        quiz.screenshot(path=str(screenshot_dir / f"{lesson.name}-{qid}-2-right.png"))
        # The same quiz in a narrow window, where long options must wrap, not overlap.
        size = lesson.page.viewport_size
        lesson.page.set_viewport_size({"width": 760, "height": size["height"]})
        quiz.scroll_into_view_if_needed()
        quiz.screenshot(path=str(screenshot_dir / f"{lesson.name}-{qid}-3-narrow.png"))
        lesson.page.set_viewport_size(size)


def test_quiz_controls_have_accessible_names(lesson):
    _require_quizzes(lesson)
    for qid in lesson.shown_ids:
        question = lesson.bank.get(qid)
        quiz = lesson.quiz_for(qid)
        role = "radio" if question.type == "single" else "checkbox"
        for option in question.options:
            control = quiz.get_by_role(role, name=labpage.option_label(option), exact=True)
            # Waits for the widget to finish rendering (slow on a busy machine).
            expect(control, f"{qid}: no {role} named {labpage.option_label(option)!r}"
                   ).to_have_count(1)
        expect(quiz.get_by_role("button", name="Check", exact=True)).to_have_count(1)
        unnamed = quiz.evaluate(labpage.UNNAMED_CONTROLS_JS)
        assert not unnamed, f"{qid}: controls without an accessible name: {unnamed}"


def test_feedback_is_a_live_region_with_text_verdicts(lesson):
    qid = _first_quiz_id(lesson)
    quiz = lesson.quiz_for(qid)
    # The verdict and the score line each have a region: a status region is read whole.
    for part in ("coopcourse-feedback", "coopcourse-quiz-score-line"):
        region = quiz.locator(f".coopcourse-quiz-feedback .{part}[role=status]")
        expect(region, f"{part} is not a role=status live region").to_have_count(1)
        assert region.get_attribute("aria-live") == "polite"
    score = lesson.page.locator(".coopcourse-quiz-score [role=status]")
    if score.count():
        assert score.first.get_attribute("aria-live") == "polite"


def test_quiz_by_keyboard_alone(lesson, screenshot_dir):
    """Answer a quiz wrong, then right, with Tab, Shift+Tab, Space and Enter only."""
    _require_quizzes(lesson)
    # The second quiz, which no other test has touched yet (the first, if it is alone).
    qid = lesson.shown_ids[1] if len(lesson.shown_ids) > 1 else lesson.shown_ids[0]
    question = lesson.bank.get(qid)
    quiz = lesson.quiz_for(qid)
    quiz.scroll_into_view_if_needed()
    role = "radio" if question.type == "single" else "checkbox"
    # A learner tabs into the quiz from the page; the test starts on its first option.
    quiz.get_by_role(role).first.focus()

    labpage.keyboard_answer(lesson.page, question, labpage.wrong_keys(question))
    assert "Not quite" in labpage.feedback(quiz, "incorrect").inner_text()

    labpage.back_to_first_option(lesson.page, question)
    labpage.keyboard_answer(lesson.page, question, question.correct_keys)
    assert "Correct." in labpage.feedback(quiz, "correct").inner_text()
    if screenshot_dir:
        quiz.screenshot(path=str(screenshot_dir / f"{lesson.name}-{qid}-keyboard.png"))


def test_every_quiz_answered_right_fills_the_score(lesson, read_progress):
    _require_quizzes(lesson)
    for qid in lesson.shown_ids:
        question = lesson.bank.get(qid)
        quiz = lesson.quiz_for(qid)
        labpage.choose(quiz, question, sorted(question.correct_keys))
        labpage.press_check(quiz)
        labpage.feedback(quiz, "correct")
    # Each question's options are a group of their own: answering a later
    # question must not clear an earlier one's choice.
    for qid in lesson.shown_ids:
        question = lesson.bank.get(qid)
        role = "radio" if question.type == "single" else "checkbox"
        quiz = lesson.quiz_for(qid)
        for option in question.options:
            control = quiz.get_by_role(role, name=labpage.option_label(option), exact=True)
            assert control.is_checked() == option.correct, f"{qid} {option.key} changed"
    total = len(lesson.bank.questions)
    shown = len(set(lesson.shown_ids))
    score = lesson.page.locator(".coopcourse-quiz-score").first
    score.get_by_text(f"{shown} of {total} questions answered correctly").wait_for()
    recorded = read_progress().get(lesson.bank.lesson, {})
    assert {qid for qid, entry in recorded.items() if entry["correct"]} == set(lesson.shown_ids)


def test_the_page_answers_check_and_the_kernel_records_it(lesson, read_progress):
    """Check is answered by the page alone (a busy kernel cannot delay it); then recorded."""
    _require_quizzes(lesson)
    # A choose-all question if there is one: its choice key joins several options.
    qid = next(
        (q for q in lesson.shown_ids if lesson.bank.get(q).type == "multiple"),
        lesson.shown_ids[0],
    )
    question = lesson.bank.get(qid)
    quiz = lesson.quiz_for(qid)
    role = "radio" if question.type == "single" else "checkbox"
    right = sorted(question.correct_keys)
    score_line = quiz.locator(".coopcourse-quiz-score-line")
    # The kernel's side of this question stops answering: what shows now is the page's own.
    labpage.run_in_kernel(lesson.page, f"quiz.widgets[{qid!r}].check = lambda: None")
    try:
        wrong = labpage.wrong_keys(question)
        labpage.choose(quiz, question, wrong)
        labpage.press_check(quiz)  # the earlier test left this question answered right
        verdict = labpage.feedback(quiz, "incorrect")
        assert _squash(question.option(wrong[0]).why) in _squash(verdict.inner_text())
        expect(score_line, "the old score line stayed beside a new verdict").to_have_text("")

        labpage.choose(quiz, question, right)
        # Enter in an option checks, as in a form and on the course website.
        quiz.get_by_role(role, name=labpage.option_label(question.option(right[0])),
                         exact=True).press("Enter")
        verdict = labpage.feedback(quiz, "correct")
        assert _squash(question.source) in _squash(verdict.inner_text())
        expect(score_line).to_have_text("")
    finally:
        labpage.run_in_kernel(lesson.page, f"del quiz.widgets[{qid!r}].check")

    attempts = read_progress()[lesson.bank.lesson][qid]["attempts"]
    labpage.press_check(quiz)
    shown, total = len(set(lesson.shown_ids)), len(lesson.bank.questions)
    expect(score_line).to_have_text(
        f"Score for this lesson: {shown} of {total} questions answered correctly."
    )
    assert read_progress()[lesson.bank.lesson][qid]["attempts"] == attempts + 1


def test_figures_have_alt_text(lesson):
    images = lesson.page.locator(".jp-OutputArea-output img")
    missing = [
        images.nth(i).evaluate("img => img.outerHTML.slice(0, 120)")
        for i in range(images.count())
        if not (images.nth(i).get_attribute("alt") or "").strip()
    ]
    assert not missing, f"{lesson.name}: images without alt text: {missing}"


def _squash(text: str) -> str:
    return " ".join(text.split())


# -- interactive models ---------------------------------------------------------
# Every lesson runs these, with the same opened lesson as the tests above (a
# narrower parametrisation would open and run the lesson a second time).


def test_models_respond_to_a_slider(lesson):
    """Moving a model's first slider by keyboard redraws its figure and rewrites its summary."""
    models = lesson.page.locator(".coopcourse-model")
    if uses_models(lesson.path):
        assert models.count() > 0, f"{lesson.name} imports coopcourse.views but shows no model"
    else:
        assert models.count() == 0, f"{lesson.name} shows a model without coopcourse.views"
    for index in range(models.count()):
        model = models.nth(index)
        model.scroll_into_view_if_needed()
        summary = model.locator(".coopcourse-model-summary")
        figure = model.locator(".coopcourse-model-figure img")
        before_summary = summary.text_content()
        before_figure = figure.get_attribute("src")
        handle = model.get_by_role("slider").first
        start = handle.get_attribute("aria-valuenow")
        handle.focus()
        lesson.page.keyboard.press("End")  # the slider's maximum
        expect(handle).not_to_have_attribute("aria-valuenow", start)
        expect(summary).not_to_have_text(before_summary)
        assert figure.get_attribute("src") != before_figure, f"model {index}: figure not redrawn"
        assert (figure.get_attribute("alt") or "").strip(), f"model {index}: figure lost its alt"


def test_model_controls_have_accessible_names(lesson):
    unnamed = []
    models = lesson.page.locator(".coopcourse-model")
    for index in range(models.count()):
        unnamed += models.nth(index).evaluate(labpage.UNNAMED_CONTROLS_JS)
    assert not unnamed, f"{lesson.name}: model controls without an accessible name: {unnamed}"
    sliders = lesson.page.locator(".coopcourse-model").get_by_role("slider")
    for index in range(sliders.count()):
        spoken = sliders.nth(index).get_attribute("aria-valuetext") or ""
        assert spoken and len(spoken) < 12, f"slider {index} speaks its value as {spoken!r}"


# -- JupyterLab's single-key shortcuts must not act on cells from inside a quiz -----


def test_keys_pressed_on_a_quiz_option_stay_in_the_quiz(lesson):
    _require_quizzes(lesson)
    question = lesson.bank.get(lesson.shown_ids[0])
    quiz = lesson.quiz_for(question.id)
    role = "radio" if question.type == "single" else "checkbox"
    cells = labpage.notebook_panel(lesson.page).locator(".jp-Cell")
    before = cells.count()
    quiz.get_by_role(role).first.focus()
    lesson.page.keyboard.press("ArrowDown")
    still_in_quiz = quiz.evaluate("quiz => quiz.contains(document.activeElement)")
    quiz.get_by_role(role).first.focus()
    lesson.page.keyboard.press("a")
    assert still_in_quiz, "ArrowDown on a quiz option moved focus out of the quiz"
    assert cells.count() == before, "pressing 'a' on a quiz option inserted a notebook cell"
    quiz.get_by_role("button", name="Check", exact=True).focus()
    lesson.page.keyboard.press("b")
    assert cells.count() == before, "pressing 'b' on the Check button inserted a notebook cell"
