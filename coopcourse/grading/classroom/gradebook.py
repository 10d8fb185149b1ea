"""Write grading results into nbgrader's gradebook, from one process only.

Workers never touch the database: the parent writes each result as it arrives,
in one short transaction. Writing is idempotent (grading again gives the same
gradebook) and never changes a manual score or a grader's comment.
"""

from __future__ import annotations

import warnings

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from coopcourse.grading.classroom.nbgrader_bridge import prepare_nbgrader
from coopcourse.grading.result import ERROR, GradingResult
from coopcourse.grading.settings import CourseSettings

NO_RESPONSE = "No response."


def open_gradebook(settings: CourseSettings) -> Gradebook:
    prepare_nbgrader()
    return Gradebook(settings.db_url, settings.course_id)


def record_result(gradebook: Gradebook, notebook_name: str, result: GradingResult) -> None:
    """Store one grading result in the gradebook.

    A result with status ERROR (the grader failed) is no mark: no score of it is
    written, and the automatic scores of an earlier grading (perhaps of an earlier
    hand-in) are withdrawn, so formgrader and ``nbgrader export`` show no mark that
    may not be this submission's. Marks by hand stay; the next clean grading writes
    the automatic scores again, exactly as a clean run alone would.
    """
    with warnings.catch_warnings():
        # nbgrader's add_submission triggers harmless SQLAlchemy "not in session" warnings.
        warnings.simplefilter("ignore", SAWarning)
        if result.status == ERROR:
            _withdraw_automatic_scores(gradebook, notebook_name, result)
        else:
            _record(gradebook, notebook_name, result)


def _withdraw_automatic_scores(
    gradebook: Gradebook, notebook_name: str, result: GradingResult
) -> None:
    try:
        notebook = gradebook.find_submission_notebook(
            notebook_name, result.assignment, result.student
        )
    except MissingEntry:  # never graded: nothing to withdraw
        return
    for grade in notebook.grades:
        if grade.manual_score is None and grade.auto_score is not None:
            grade.auto_score = None
            grade.needs_manual_grade = True  # formgrader lists it: grade again, or by hand
    gradebook.db.commit()


def _record(gradebook: Gradebook, notebook_name: str, result: GradingResult) -> None:
    student, assignment = result.student, result.assignment
    gradebook.update_or_create_student(student)
    extra = {"timestamp": result.timestamp} if result.timestamp else {}
    gradebook.update_or_create_submission(assignment, student, **extra)
    for grade_id, score in result.scores.items():
        grade = gradebook.find_grade(grade_id, notebook_name, assignment, student)
        changed = grade.auto_score != score
        grade.auto_score = score
        if grade.manual_score is None:
            grade.needs_manual_grade = score is None
        elif changed:
            # A grader already marked this cell and the autograder now disagrees:
            # ask for a second look, but keep the grader's mark.
            grade.needs_manual_grade = True
    no_response = set(result.no_response)
    for grade_id in result.solution_ids:
        comment = gradebook.find_comment(grade_id, notebook_name, assignment, student)
        comment.auto_comment = NO_RESPONSE if grade_id in no_response else None
    gradebook.db.commit()


def gradebook_snapshot(settings: CourseSettings, assignment: str) -> list[tuple]:
    """Every grade and comment of an assignment as sorted tuples (to compare runs)."""
    rows = []
    with open_gradebook(settings) as gradebook:
        for submission in gradebook.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    rows.append(
                        (
                            submission.student_id,
                            notebook.name,
                            grade.name,
                            grade.auto_score,
                            grade.manual_score,
                            grade.needs_manual_grade,
                            grade.extra_credit,
                        )
                    )
                for comment in notebook.comments:
                    rows.append(
                        (
                            submission.student_id,
                            notebook.name,
                            comment.name,
                            comment.auto_comment,
                            comment.manual_comment,
                        )
                    )
    return sorted(rows, key=repr)
