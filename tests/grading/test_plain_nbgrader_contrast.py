"""Contrast: the same attacks against plain ``nbgrader autograde``.

Plain nbgrader gives a test cell its points when the cell shows no error, so
some attacks in corpus/submissions.py (silencing later cells, redefining check)
earn full or partial marks for wrong answers there; the others happen to score
nothing there too. The course grader gives every one of them nothing
(test_integrity.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook, MissingEntry

from coopcourse.grading import sample_course as sample
from coopcourse.grading.classroom.nbgrader_bridge import generate_assignment
from coopcourse.grading.settings import load_settings
from tests.grading.corpus.submissions import ATTACKS, write_attacks

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
# Attacks that, in this environment, make plain nbgrader give marks to wrong answers.
FOOLS_PLAIN_NBGRADER = {
    "attack_input_transformer",
    "attack_ast_transformer",
    "attack_redefine_check",
}


def test_plain_nbgrader_gives_marks_to_wrong_answers(tmp_path):
    root = sample.make_course(tmp_path / "course", cell_timeout=10)
    settings = load_settings(root)
    generate_assignment(settings, sample.ASSIGNMENT)
    write_attacks(root)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [str(BIN / "nbgrader"), "autograde", sample.ASSIGNMENT],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # nbgrader exits with 1 when some submission (e.g. one that kills its kernel) fails.
    assert done.returncode in (0, 1), done.stderr[-2000:]
    plain = {}
    with Gradebook(settings.db_url, settings.course_id) as gradebook:
        for student in ATTACKS:
            try:
                plain[student] = gradebook.find_submission(sample.ASSIGNMENT, student).score
            except MissingEntry:
                plain[student] = None
    fooled = {student for student, score in plain.items() if score}
    assert fooled >= FOOLS_PLAIN_NBGRADER, plain
