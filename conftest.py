"""Test-run settings for the whole course folder (tests/ and the lessons' nbval runs)."""

from __future__ import annotations

import pytest

# Under pytest-xdist (--dist loadgroup) each group runs in one worker: a notebook's
# cells run in order in one kernel (nbval), and the tests that share an expensive
# session fixture build it once. Other test files are spread across workers whole.
SHARED_FIXTURE_GROUPS = {
    # the graded sample class (tests/grading/conftest.py: graded_class)
    "tests/grading/test_corpus.py": "graded-class",
    "tests/grading/test_export.py": "graded-class",
    "tests/grading/test_hostile.py": "graded-class",
    "tests/grading/test_integrity.py": "graded-class",
    "tests/grading/test_nothing_lost.py": "graded-class",
    # the sample class graded by plain nbgrader (tests/grading/conftest.py: plain_nbgrader_class)
    "tests/grading/test_nbgrader_tools.py": "plain-nbgrader",
    "tests/grading/test_plain_nbgrader_contrast.py": "plain-nbgrader",
    # one JupyterLab server and Chromium (tests/browser/conftest.py: lab_server)
    "tests/browser/test_lessons.py": "lab",
    "tests/browser/test_formgrader.py": "lab",
}


def pytest_itemcollected(item):
    # Marked as each test is collected, so the mark is there whatever order the
    # plugins' collection hooks run in (xdist reads it in one of them).
    path = item.path.relative_to(item.config.rootpath).as_posix()
    item.add_marker(pytest.mark.xdist_group(SHARED_FIXTURE_GROUPS.get(path, path)))
