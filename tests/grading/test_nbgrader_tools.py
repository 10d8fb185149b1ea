"""nbgrader's own commands on a course configured like this one.

The course's nbgrader_config.py keeps the rubric out of released exercises,
silences nbgrader's false "checksum has changed" warning for honest submissions
(but not for edited test cells), and keeps hidden tests out of nbgrader's feedback.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from coopcourse.grading import sample_course as sample

pytestmark = pytest.mark.slow

COURSE_ROOT = Path(__file__).resolve().parents[2]


def _loaded_config(path):
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def test_course_config_has_the_fixes(tmp_path):
    sample_root = sample.make_course(tmp_path / "course")
    for path in (COURSE_ROOT / "nbgrader_config.py", sample_root / "nbgrader_config.py"):
        config = _loaded_config(path)
        assert "rubric.yaml" in config.CourseDirectory.ignore, path
        assert (
            "coopcourse.grading.classroom.preprocessors.QuietOverwriteCells"
            in config.Autograde.sanitize_preprocessors
        ), path
        assert (
            "coopcourse.grading.classroom.preprocessors.HideHiddenTests"
            in config.GenerateFeedback.preprocessors
        ), path


def test_release_then_plain_nbgrader_autograde_and_feedback(plain_nbgrader_class):
    graded = plain_nbgrader_class  # tests/grading/conftest.py: released, graded, feedback
    released = graded.released  # by what `coopcourse class release` runs
    assert sorted(path.name for path in released.iterdir()) == ["fx_demo.ipynb"]  # no rubric
    exercise = released.joinpath("fx_demo.ipynb").read_text(encoding="utf-8")
    assert "zqzq" not in exercise and "2 * x" not in exercise

    # The class also holds the attack corpus, some of which kill their kernel (exit 1);
    # nbgrader keeps an autograded copy only of the submissions it graded.
    log = graded.autograde.stdout + graded.autograde.stderr
    assert graded.autograde.returncode in (0, 1), log[-3000:]
    for student in graded.LEARNERS:
        folder = graded.root / "autograded" / student / sample.ASSIGNMENT
        assert (folder / "fx_demo.ipynb").is_file(), (student, log[-3000:])
    warnings = re.findall(r"Attribute 'checksum' for cell (\S+) has changed", log)
    assert warnings == ["q1_visible"]  # only the edited cell, once

    assert graded.feedback.returncode == 0, graded.feedback.stderr[-3000:]
    stash_page = graded.feedback_page("stasher").read_text()
    assert "(output not shown in feedback)" in stash_page
    for student in graded.LEARNERS:
        page = graded.feedback_page(student).read_text()
        assert "Hidden tests are not shown" in page
        for fragment in (
            "zqzq",
            "double(-3.5)",
            "BEGIN HIDDEN",
            "fx_demo.q1.2",
            "fx_demo.q2.2",
            "&#39;zq&#39;",
            "-3.5",
        ):
            assert fragment not in page, (student, fragment)


def test_formgrader_cleans_learner_html_before_graders_see_it():
    """Formgrader renders with an HTMLExporter built from this configuration."""
    from nbconvert.exporters import HTMLExporter

    config = _loaded_config(COURSE_ROOT / "nbgrader_config.py")
    assert config.HTMLExporter.sanitize_html is True
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell('Thanks!<img src="x" onerror="alert(1)">')]
    )
    live_handler = re.compile(r"<img[^>]*onerror")
    html, _ = HTMLExporter(config=config).from_notebook_node(notebook)
    assert not live_handler.search(html) and "Thanks!" in html  # shown as text at most
    unsafe, _ = HTMLExporter().from_notebook_node(notebook)
    assert live_handler.search(unsafe)  # what formgrader showed without the setting
