"""nbgrader's own commands on a course configured like this one.

The course's nbgrader_config.py keeps the rubric out of released exercises,
silences nbgrader's false "checksum has changed" warning for honest submissions
(but not for edited test cells), and keeps hidden tests out of nbgrader's feedback.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.classroom.nbgrader_bridge import generate_assignment
from coopcourse.grading.nbgrader_cells import grade_id
from coopcourse.grading.settings import load_settings

pytestmark = pytest.mark.slow

COURSE_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _nbgrader(root: Path, *args: str) -> str:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [str(BIN / "nbgrader"), *args],
        cwd=root,
        env=env,
        text=True,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


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


def test_release_then_plain_nbgrader_autograde_and_feedback(tmp_path):
    root = sample.make_course(tmp_path / "course")
    settings = load_settings(root)
    generate_assignment(settings, sample.ASSIGNMENT)  # what `coopcourse class release` runs
    released = root / "exercises" / sample.ASSIGNMENT
    assert sorted(path.name for path in released.iterdir()) == ["fx_demo.ipynb"]  # no rubric
    exercise = released.joinpath("fx_demo.ipynb").read_text(encoding="utf-8")
    assert "zqzq" not in exercise and "2 * x" not in exercise

    honest = nbformat.read(released / "fx_demo.ipynb", as_version=4)
    sample.write_submission(root, "honest", honest)
    tampered = nbformat.read(released / "fx_demo.ipynb", as_version=4)
    for cell in tampered.cells:
        if grade_id(cell) == "q1_visible":
            cell.source += "\n# edited"
    sample.write_submission(root, "tampered", tampered)

    # Keeps the inputs the hidden tests pass and prints them in a later cell.
    stasher = sample.student_notebook(
        root,
        {
            "q1_answer": "seen = []\ndef double(x):\n    seen.append(repr(x))\n    return 2 * x",
            "q2_answer": 'WORDS = ("mutual", "co-op")\nprint("stash:", seen)',
        },
    )
    sample.write_submission(root, "stasher", stasher)

    log = _nbgrader(root, "autograde", sample.ASSIGNMENT)
    warnings = re.findall(r"Attribute 'checksum' for cell (\S+) has changed", log)
    assert warnings == ["q1_visible"]  # only the edited cell, once

    _nbgrader(root, "generate_feedback", sample.ASSIGNMENT)
    stash_page = (root / "feedback" / "stasher" / sample.ASSIGNMENT / "fx_demo.html").read_text()
    assert "(output not shown in feedback)" in stash_page
    for student in ("honest", "tampered", "stasher"):
        page = (root / "feedback" / student / sample.ASSIGNMENT / "fx_demo.html").read_text()
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
    import nbformat
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
