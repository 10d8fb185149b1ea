"""Contrast: the same attacks against plain ``nbgrader autograde``.

Plain nbgrader gives a test cell its points when the cell shows no error, so
some attacks in corpus/submissions.py (silencing later cells, redefining check)
earn full or partial marks for wrong answers there; the others happen to score
nothing there too. The course grader gives every one of them nothing
(test_integrity.py).
"""

from __future__ import annotations

import pytest
from nbgrader.api import Gradebook, MissingEntry

from coopcourse.grading import sample_course as sample
from tests.grading.corpus.submissions import ATTACKS

pytestmark = pytest.mark.slow

# Attacks that, in this environment, make plain nbgrader give marks to wrong answers.
FOOLS_PLAIN_NBGRADER = {
    "attack_input_transformer",
    "attack_ast_transformer",
    "attack_redefine_check",
}


def test_plain_nbgrader_gives_marks_to_wrong_answers(plain_nbgrader_class):
    graded = plain_nbgrader_class  # tests/grading/conftest.py
    done = graded.autograde
    # nbgrader exits with 1 when some submission (e.g. one that kills its kernel) fails.
    assert done.returncode in (0, 1), done.stderr[-2000:]
    plain = {}
    with Gradebook(graded.settings.db_url, graded.settings.course_id) as gradebook:
        for student in ATTACKS:
            try:
                plain[student] = gradebook.find_submission(sample.ASSIGNMENT, student).score
            except MissingEntry:
                plain[student] = None
    fooled = {student for student, score in plain.items() if score}
    assert fooled >= FOOLS_PLAIN_NBGRADER, plain
