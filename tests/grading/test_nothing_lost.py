"""Nothing lost: submissions untouched, hidden tests kept out of feedback, regrading stable."""

from __future__ import annotations

import html

import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.classroom.feedback import write_feedback
from coopcourse.grading.classroom.gradebook import gradebook_snapshot, open_gradebook
from coopcourse.grading.pipeline.grade import Job, read_result
from coopcourse.grading.pipeline.runner import grade_class
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.grading.settings import load_settings
from tests.grading.conftest import hash_tree
from tests.grading.corpus.submissions import _with

pytestmark = pytest.mark.slow

HIDDEN_FRAGMENTS = [
    "zqzq",
    'double("zq")',
    "double(-3.5)",
    "-7.0",
    "BEGIN HIDDEN",
    '("mu" + "tual"',
    "fx_demo.q1.2",
    "fx_demo.q1.3",
    "fx_demo.q2.2",
]


def test_submissions_are_byte_identical_after_grading(graded_class):
    assert hash_tree(graded_class.root / "submitted") == graded_class.hashes_before


def test_feedback_never_reveals_hidden_tests(graded_class):
    source = load_assignment(graded_class.settings.source_dir, "fx_demo")
    students = ["good_wrong", "good_partial", "attack_fake_output", "bad_kernel_crash"]
    for path in write_feedback(graded_class.settings, source, students).written:
        page = path.read_text(encoding="utf-8")
        assert "hidden tests of q1: <span class='fail'>not all passed</span>" in page
        shown = html.unescape(page)  # a leaked fragment would be escaped on the page
        for fragment in HIDDEN_FRAGMENTS:
            assert fragment not in shown, (path, fragment)
        assert "Traceback" not in page and "Rubric" not in page


def test_feedback_of_a_wrong_submission_explains_visible_failures(graded_class):
    source = load_assignment(graded_class.settings.source_dir, "fx_demo")
    (path,) = write_feedback(graded_class.settings, source, ["good_wrong"]).written
    page = path.read_text(encoding="utf-8")
    assert (
        "fx_demo.q1.1: <span class='fail'>not passed</span> — the int is not the expected" in page
    )


def test_autograded_copy_shows_rubric_to_graders(graded_class):
    text = (
        graded_class.root / "autograded" / "good_right" / "fx_demo" / "fx_demo.ipynb"
    ).read_text()
    assert "Rubric for graders" in text and "Says that members own the mutual." in text


def test_regrading_keeps_manual_grades_and_changes_nothing(graded_class):
    settings = graded_class.settings
    with open_gradebook(settings) as gradebook:
        grade = gradebook.find_grade("q3_answer", "fx_demo", "fx_demo", "bad_wrong_name")
        grade.manual_score = 1.5
        grade.needs_manual_grade = False
        gradebook.db.commit()
    before = gradebook_snapshot(settings, "fx_demo")
    again = grade_class(
        settings, "fx_demo", ["good_right", "good_wrong"], force=True, show_progress=False
    )
    assert again.graded == 2
    assert gradebook_snapshot(settings, "fx_demo") == before
    # A result whose kernel died of something outside the submission is never taken
    # as final (on a busy machine a hostile one can end so), so it alone is graded again.
    unsound = {s for s, result in graded_class.results.items() if result.status == "error"}
    reused = grade_class(settings, "fx_demo", show_progress=False)
    assert reused.graded == len(unsound)
    assert reused.reused == len(graded_class.results) - len(unsound)

    def settled(rows):
        return [row for row in rows if row[0] not in unsound]

    assert settled(gradebook_snapshot(settings, "fx_demo")) == settled(before)
    with open_gradebook(settings) as gradebook:
        grade = gradebook.find_grade("q3_answer", "fx_demo", "fx_demo", "bad_wrong_name")
        assert grade.score == 1.5 and grade.manual_score == 1.5
        # Every submission with marks is in the gradebook; a failed grading writes nothing.
        recorded = {s.student_id for s in gradebook.assignment_submissions("fx_demo")}
    with_marks = {
        student
        for student in graded_class.results
        if read_result(settings, Job(student, "fx_demo")).status != "error"
    }
    assert with_marks <= recorded and len(with_marks) >= len(graded_class.results) - len(unsound)


def test_formgrader_renders_the_autograded_copy(graded_class):
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    path = graded_class.root / "autograded" / "bad_kernel_crash" / "fx_demo" / "fx_demo.ipynb"
    resources = {
        "assignment_id": "fx_demo",
        "notebook_id": "fx_demo",
        "submission_id": "x",
        "index": 0,
        "total": 1,
        "base_url": "",
        "student": "bad_kernel_crash",
        "last_name": None,
        "first_name": None,
        "notebook_path": str(path),
    }
    page, _ = HTMLExporter(config=config).from_filename(str(path), resources=resources)
    for grade_id in ("q1_visible", "q1_hidden", "q2_tests", "q3_answer"):
        assert f'id="{grade_id}"' in page  # a score box per graded cell
    assert "Grading notes" in page and "kernel stopped" in page
    assert "Rubric for graders" in page


def test_reference_cache_is_used_and_redone_when_the_package_changes(graded_class):
    import json
    import marshal

    from coopcourse.grading.pipeline.reference import cache_path, reference_values

    settings = graded_class.settings
    source = load_assignment(settings.source_dir, "fx_demo")
    path = cache_path(settings, "fx_demo")
    record = json.loads(path.read_text())
    original = json.dumps(record)
    record["expected"]["fx_demo.q1.1"] = marshal.dumps(999, 2).hex()
    path.write_text(json.dumps(record))
    try:
        assert reference_values(settings, source)["fx_demo.q1.1"] == 999  # cache trusted
        record["package"] = "an older version of coopcourse"
        path.write_text(json.dumps(record))
        assert reference_values(settings, source)["fx_demo.q1.1"] == 4  # run again
        assert json.loads(path.read_text())["expected"]["fx_demo.q1.1"] == marshal.dumps(4, 2).hex()
    finally:
        path.write_text(original)


def test_feedback_includes_manual_marks_and_comments(graded_class):
    settings = graded_class.settings
    with open_gradebook(settings) as gradebook:
        grade = gradebook.find_grade("q3_answer", "fx_demo", "fx_demo", "bad_reordered")
        grade.manual_score = 1.0
        comment = gradebook.find_comment("q3_answer", "fx_demo", "fx_demo", "bad_reordered")
        comment.manual_comment = "Say who the members are."
        gradebook.db.commit()
    source = load_assignment(settings.source_dir, "fx_demo")
    (path,) = write_feedback(settings, source, ["bad_reordered"]).written
    page = path.read_text(encoding="utf-8")
    assert "Score: <b>6 / 7</b>." in page  # 5 automatic + 1 by hand, nothing pending
    assert "Points: 1 / 2" in page and "Say who the members are." in page


def test_a_self_killing_submission_is_graded_twice_then_stands(tmp_path):
    """SIGKILL to itself looks like a kill from outside: graded once more, then the
    result stands, so its marks cannot change from run to run by chance."""
    sample.make_course(tmp_path, cell_timeout=10, workers=1)
    killer = "import signal\nsignal.raise_signal(signal.SIGKILL)"
    sample.write_submission(tmp_path, "s1", _with(tmp_path, sample.RIGHT, {"q2_answer": killer}))
    settings = load_settings(tmp_path)
    runs = [grade_class(settings, "fx_demo", show_progress=False) for _ in range(3)]
    assert [(run.graded, run.reused) for run in runs] == [(1, 0), (1, 0), (0, 1)]
    first, second, third = (run.results[0] for run in runs)
    assert (first.status, first.attempts, second.attempts) == ("error", 1, 2)
    assert "graded once more on the next run" in " ".join(first.problems)
    assert "after 2 attempts this result stands" in " ".join(second.problems)
    assert third == second


def test_problems_after_a_hidden_test_reach_the_instructor_not_the_learner(tmp_path):
    """Cells after a hidden test could spell out its inputs in which problems they
    cause (an error per bit); the learner's feedback sums them up in one sentence."""
    from coopcourse.grading.classroom.feedback import feedback_html
    from coopcourse.grading.pipeline.grade import AFTER_HIDDEN_TESTS

    sample.make_course(tmp_path, cell_timeout=10, workers=1)
    spy = "SEEN = []\ndef double(x):\n    SEEN.append(x)\n    return x + 1"
    signals = {"q1_hidden": "if SEEN[1:]:\n    raise MemoryError", "q2_tests": "raise SystemExit"}
    notebook = _with(tmp_path, {**sample.RIGHT, "q1_answer": spy}, signals)
    sample.write_submission(tmp_path, "spy", notebook)
    settings = load_settings(tmp_path)
    (result,) = grade_class(settings, "fx_demo", show_progress=False).results
    everything = " ".join(result.problems)
    assert "ran out of memory" in everything and "sys.exit()" in everything
    assert result.learner_problems == [AFTER_HIDDEN_TESTS]
    page = feedback_html(settings, load_assignment(settings.source_dir, "fx_demo"), "spy")
    assert AFTER_HIDDEN_TESTS in page
    assert "ran out of memory" not in page and "sys.exit()" not in page
