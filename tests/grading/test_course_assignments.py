"""The course's own assignments under the course grader.

For each assignment in solutions/: a learner who fills the released exercise
with the solution's answers gets every autograded point, with no problem
reported; the untouched exercise gets zero.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from coopcourse.grading.nbgrader_cells import grade_id
from coopcourse.grading.pipeline.runner import grade_class
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.grading.settings import load_settings

pytestmark = pytest.mark.slow

COURSE_ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENTS = sorted(
    path.name for path in (COURSE_ROOT / "solutions").glob("*") if any(path.glob("*.ipynb"))
)


def _answered(exercise: Path, source) -> nbformat.NotebookNode:
    notebook = nbformat.read(exercise, as_version=4)
    by_id = source.by_grade_id()
    for cell in notebook.cells:
        answer = by_id.get(grade_id(cell))
        if answer is not None and answer.kind in ("answer", "manual"):
            cell.source = answer.source
    return notebook


def test_the_course_has_its_assignments():
    assert len(ASSIGNMENTS) == 5


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_and_exercise_zero(tmp_path, assignment):
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(COURSE_ROOT / "nbgrader_config.py", course)
    shutil.copytree(COURSE_ROOT / "solutions" / assignment, course / "solutions" / assignment)
    shutil.copytree(COURSE_ROOT / "exercises" / assignment, course / "exercises" / assignment)
    settings = load_settings(course)
    source = load_assignment(settings.source_dir, assignment, settings.release_dir)
    exercise = course / "exercises" / assignment / f"{source.notebook_name}.ipynb"
    for student, notebook in (
        ("solved", _answered(exercise, source)),
        ("untouched", nbformat.read(exercise, as_version=4)),
    ):
        folder = course / "submitted" / student / assignment
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / exercise.name)

    run = grade_class(settings, assignment, show_progress=False)
    records = {record.student: record for record in run.results}
    auto_points = sum(cell.points for cell in source.graded("test"))
    assert auto_points > 0
    solved, untouched = records["solved"], records["untouched"]
    assert solved.problems == [], solved.problems
    failed = [check.check_id for check in solved.checks if not check.passed]
    assert failed == []
    assert sum(score or 0 for score in solved.scores.values()) == auto_points
    assert sum(score or 0 for score in untouched.scores.values()) == 0
    manual = [cell.grade_id for cell in source.graded("manual")]
    assert all(solved.scores[grade_id] is None for grade_id in manual)  # left for graders
