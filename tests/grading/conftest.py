"""Shared fixtures: a sample course graded once with the whole corpus in it.

Grading a class is the expensive step (a fresh kernel per submission), so the
class below is graded once per test session and each test inspects one learner.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.nbgrader_cells import grade_id
from coopcourse.grading.pipeline.runner import grade_class
from coopcourse.grading.result import GradingResult
from coopcourse.grading.settings import load_settings
from tests.grading.corpus.submissions import WRONG_Q1, WRONG_Q2, write_attacks, write_bad
from tests.grading.hostile import attacks

SECRET = "instructor-token-5f1e9c"  # in the grader's environment while the class is graded

GOOD = {
    "good_right": sample.RIGHT,
    "good_wrong": sample.WRONG,
    "good_partial": sample.PARTIAL,
    "good_untouched": {},
}


def hash_tree(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class GradedClass:
    def __init__(self, root: Path, outside_target: Path) -> None:
        self.root = root
        self.outside_target = outside_target
        sample.make_course(root, cell_timeout=4, cpu_seconds=20, workers=2, submission_seconds=12)
        for student, answers in GOOD.items():
            sample.write_submission(root, student, sample.student_notebook(root, answers))
        self.bad = write_bad(root, str(outside_target))
        write_attacks(root)
        self.hostile = write_hostile(root)
        self.settings = load_settings(root)
        self.hashes_before = hash_tree(root / "submitted")
        self.package_before = hash_tree(Path(sample.__file__).parent)
        os.environ["COOPCOURSE_TEST_SECRET"] = SECRET
        try:
            run = grade_class(self.settings, sample.ASSIGNMENT)
        finally:
            del os.environ["COOPCOURSE_TEST_SECRET"]
        self.results = {result.student: result for result in run.results}

    def result(self, student: str) -> GradingResult:
        return self.results[student]

    def total(self, student: str) -> float:
        return self.results[student].total

    def problems(self, student: str) -> str:
        return " | ".join(self.results[student].problems)

    def autograded_notebook(self, student: str):
        folder = self.settings.folder("autograded", student, sample.ASSIGNMENT)
        return nbformat.read(folder / f"{sample.ASSIGNMENT}.ipynb", as_version=4)


def write_hostile(root: Path) -> dict:
    """Each hostile attack as a learner with wrong answers (see tests/grading/hostile)."""
    found = attacks()
    for student, module in found.items():
        notebook = sample.student_notebook(root, {"q1_answer": WRONG_Q1, "q2_answer": WRONG_Q2})
        index = next(
            i
            for i, cell in enumerate(notebook.cells)
            if grade_id(cell) == "q1_answer"
        )
        repeat = getattr(module, "REPEAT", 1)
        cells = [nbformat.v4.new_code_cell(module.CODE) for _ in range(repeat)]
        notebook.cells[index + 1 : index + 1] = cells
        sample.write_submission(root, student, notebook)
    return found


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory) -> GradedClass:
    root = tmp_path_factory.mktemp("course")
    outside = tmp_path_factory.mktemp("outside") / "written_by_student.txt"
    return GradedClass(root, outside)


class PlainNbgraderClass:
    """The sample course released as ``coopcourse class release`` does, then graded by
    plain ``nbgrader autograde`` and ``nbgrader generate_feedback``, each run once.

    The class holds every attack in corpus/submissions.py (test_plain_nbgrader_contrast)
    and three learners of test_nbgrader_tools: one honest, one who edited a visible
    test cell, one whose answers stash the hidden tests' inputs and print them.
    """

    LEARNERS = ("honest", "tampered", "stasher")

    def __init__(self, root: Path) -> None:
        from coopcourse.grading.classroom.nbgrader_bridge import generate_assignment

        self.root = sample.make_course(root, cell_timeout=10)
        self.settings = load_settings(root)
        generate_assignment(self.settings, sample.ASSIGNMENT)
        self.released = root / "exercises" / sample.ASSIGNMENT
        write_attacks(root)
        exercise = self.released / f"{sample.ASSIGNMENT}.ipynb"
        sample.write_submission(root, "honest", nbformat.read(exercise, as_version=4))
        tampered = nbformat.read(exercise, as_version=4)
        for cell in tampered.cells:
            if grade_id(cell) == "q1_visible":
                cell.source += "\n# edited"
        sample.write_submission(root, "tampered", tampered)
        stash = "seen = []\ndef double(x):\n    seen.append(repr(x))\n    return 2 * x"
        stasher = sample.student_notebook(
            root,
            {"q1_answer": stash, "q2_answer": 'WORDS = ("mutual", "co-op")\nprint("stash:", seen)'},
        )
        sample.write_submission(root, "stasher", stasher)
        self.autograde = self._nbgrader("autograde", sample.ASSIGNMENT)
        self.feedback = self._nbgrader("generate_feedback", sample.ASSIGNMENT)

    def _nbgrader(self, *args: str) -> subprocess.CompletedProcess:
        bin_dir = Path(sys.executable).parent
        env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
        return subprocess.run(
            [str(bin_dir / "nbgrader"), *args],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def feedback_page(self, student: str) -> Path:
        return self.root / "feedback" / student / sample.ASSIGNMENT / f"{sample.ASSIGNMENT}.html"


@pytest.fixture(scope="session")
def plain_nbgrader_class(tmp_path_factory) -> PlainNbgraderClass:
    return PlainNbgraderClass(tmp_path_factory.mktemp("plain-nbgrader") / "course")


def pytest_configure(config) -> None:
    config.addinivalue_line(
        "markers", "slow: grades a whole sample class with real kernels (still runs by default)"
    )
