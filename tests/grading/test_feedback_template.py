"""The feedback page's jinja2 template: shipped in the package, escaping what learners wrote.

These tests render pages from hand-made results (no grading run), so they are quick.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import nbformat
import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.classroom import feedback
from coopcourse.grading.classroom.late import Lateness
from coopcourse.grading.pipeline.grade import Job, result_path, submission_fingerprint
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.grading.result import GradingResult, ScoredCheck
from coopcourse.grading.settings import load_settings

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
HIDDEN_MESSAGE = "double(-3.5) should be -7.0"  # a hidden check's message: never shown
INSTRUCTOR_ONLY = "kernel died in cell 12 (instructor only)"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return sample.make_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def source(course):
    return load_assignment(course / "solutions", sample.ASSIGNMENT)


def _result(student: str) -> GradingResult:
    return GradingResult(
        student=student,
        assignment=sample.ASSIGNMENT,
        scores={"q1_visible": 0.0, "q1_hidden": 0.0, "q2_tests": 2.0, "q3_answer": None},
        max_score=7.0,
        problems=[INSTRUCTOR_ONLY, SCRIPT],
        learner_problems=[f"your cell printed {SCRIPT}"],
        checks=[
            ScoredCheck("fx_demo.q1.1", "q1_visible", False, False, f"expected {SCRIPT}"),
            ScoredCheck("fx_demo.q1.2", "q1_hidden", True, False, HIDDEN_MESSAGE),
            ScoredCheck("fx_demo.q1.3", "q1_hidden", True, True, "fine"),
            ScoredCheck("fx_demo.q2.1", "q2_tests", False, True, "fine"),
            ScoredCheck("fx_demo.q2.2", "q2_tests", True, True, "fine"),
        ],
    )


def test_the_template_is_found_through_the_package():
    packaged = resources.files("coopcourse.grading.classroom").joinpath(
        feedback.TEMPLATE_FOLDER, feedback.TEMPLATE
    )
    assert packaged.is_file()
    template = feedback.ENVIRONMENT.get_template(feedback.TEMPLATE)
    # The loader reads the package's own file, not one found from the tests' folder.
    assert Path(template.filename).resolve() == Path(str(packaged)).resolve()
    assert Path(template.filename).read_text(encoding="utf-8") == packaged.read_text("utf-8")
    assert feedback.ENVIRONMENT.autoescape is True


def test_every_learner_controlled_string_is_escaped(source):
    page = feedback.render_feedback(
        source,
        SCRIPT,
        _result(SCRIPT),
        scores={"q1_visible": 0.0, "q1_hidden": 0.0, "q2_tests": 2.0, "q3_answer": 1.0},
        comments={"q3_answer": f"You wrote {SCRIPT}"},
        answers={"q1_answer": SCRIPT, "q3_answer": f"**Members** own it {SCRIPT}"},
        lateness=Lateness(0.0, 0.0),
    )
    assert "<script" not in page.lower()
    assert f"<title>Feedback: {sample.ASSIGNMENT}</title>" in page
    assert f"Student: <b>{ESCAPED}</b>" in page  # the name
    assert f"<pre>{ESCAPED}</pre>" in page  # a code answer
    # A written answer is shown as the learner typed it, not rendered as markdown.
    assert f"<pre>**Members** own it {ESCAPED}</pre>" in page
    assert f"<li>your cell printed {ESCAPED}</li>" in page  # a problem
    assert f"<p><i>Comment:</i> You wrote {ESCAPED}</p>" in page
    assert f"fx_demo.q1.1: <span class='fail'>not passed</span> — expected {ESCAPED}" in page
    # The course's own prose is still HTML.
    assert "<strong>Q1.</strong> Write <code>double(x)</code>" in page


def test_the_page_shows_learner_problems_and_hidden_tests_only_summed_up(source):
    page = feedback.render_feedback(
        source,
        "eve",
        _result("eve"),
        scores={"q1_visible": 0.0, "q1_hidden": 0.0, "q2_tests": 2.0, "q3_answer": None},
        comments={},
        answers={},
        lateness=Lateness(0.0, 0.0),
    )
    assert INSTRUCTOR_ONLY not in page and HIDDEN_MESSAGE not in page
    assert "fx_demo.q1.2" not in page and "fx_demo.q2.2" not in page
    assert "hidden tests of q1: <span class='fail'>not all passed</span>" in page
    assert "hidden tests of q2: <span class='pass'>all passed</span>" in page
    assert "Score: <b>2 / 7</b> (some written answers are not marked yet).</p>" in page
    assert "Points: not marked yet / 2" in page
    assert "<pre>(no answer)</pre>" in page
    assert "late penalty" not in page


def test_a_late_submission_states_its_penalty(source):
    page = feedback.render_feedback(
        source,
        "eve",
        None,  # not graded yet: nothing from a result, the page still renders
        scores={"q1_visible": 1.0, "q1_hidden": 2.0, "q2_tests": 2.0, "q3_answer": 0.0},
        comments={},
        answers={},
        lateness=Lateness(5460.0, 0.7),
    )
    assert (
        "<p>Submitted 1 h 31 min after the due date: late penalty <b>0.7</b> points, "
        "so the score counted is <b>4.3 / 7</b>.</p>"
    ) in page
    assert "Problems with this submission" not in page
    assert "hidden tests of q1: <span class='fail'>not all passed</span>" in page


def test_the_page_keeps_its_language_and_heading_order(source):
    page = feedback.render_feedback(
        source,
        "eve",
        _result("eve"),
        scores={},
        comments={},
        answers={},
        lateness=Lateness(0.0, 0.0),
    )
    assert page.startswith("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>")
    assert page.endswith("</body></html>")
    headings = re.findall(r"<h([1-3])[ >]", page)
    # Our own headings: h1 for the page, h2 for problems, h3 per answer and test cell.
    assert headings[:2] == ["1", "2"] and headings.count("3") == 6


def test_written_feedback_escapes_answers_read_from_the_autograded_notebook(course, source):
    settings = load_settings(course)
    student = "eve"
    notebook = sample.student_notebook(course, {"q1_answer": SCRIPT, "q3_answer": SCRIPT})
    sample.write_submission(course, student, notebook)
    folder = settings.folder("autograded", student, sample.ASSIGNMENT)
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{sample.ASSIGNMENT}.ipynb")
    result = _result(student)
    submitted = settings.folder("submitted", student, sample.ASSIGNMENT)
    result.fingerprint = submission_fingerprint(submitted, source)  # made from it as it is
    result_path(settings, Job(student, sample.ASSIGNMENT)).write_text(
        result.to_json(), encoding="utf-8"
    )
    (path,) = feedback.write_feedback(settings, source, [student]).written
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and page.count(f"<pre>{ESCAPED}</pre>") == 2
    assert f"<li>your cell printed {ESCAPED}</li>" in page
    assert INSTRUCTOR_ONLY not in page and HIDDEN_MESSAGE not in page


def test_checks_from_the_first_hidden_test_on_show_only_passed_or_not(source):
    """Learner code may have stashed a hidden test's inputs by the time the checks of
    the first hidden test cell and later ones run, and could spell them out through
    those checks' messages (which exception, which item differs): the learner sees
    only their verdict. A visible check before the first hidden test keeps its reason."""
    early, stashed = "raised ZeroDivisionError", "raised UnicodeTranslateError"
    differs = "differs at item [3] of the expected list: got a str"
    result = _result("eve")
    result.checks = [
        ScoredCheck("fx_demo.q1.1", "q1_visible", False, False, early),
        ScoredCheck("fx_demo.q2.1", "q2_tests", False, False, stashed),
        ScoredCheck("fx_demo.q2.2", "q2_tests", True, False, differs),
    ]
    page = feedback.render_feedback(
        source,
        "eve",
        result,
        scores={},
        comments={},
        answers={},
        lateness=Lateness(0.0, 0.0),
    )
    assert f"fx_demo.q1.1: <span class='fail'>not passed</span> — {early}</li>" in page
    assert "fx_demo.q2.1: <span class='fail'>not passed</span></li>" in page
    assert stashed not in page and "UnicodeTranslateError" not in page and differs not in page


def test_feedback_and_the_problems_list_cut_at_the_same_cell(source):
    """One function decides where learner code may have seen hidden inputs."""
    from coopcourse.grading.pipeline.grade import hidden_inputs_seen_from

    cut = hidden_inputs_seen_from(source.notebook.cells)
    late = {cell.grade_id for cell in source.cells if cell.kind == "test" and cell.index >= cut}
    assert late == {"q1_hidden", "q2_tests"}
