"""Feedback for learners that never reveals hidden tests.

Feedback is built from what the learner may see: their own answers, the visible
part of each test cell (as released), the result of each visible check, and
only "passed"/"not passed" for hidden checks — no hidden source, no traceback,
no output of the grading run (which could echo hidden inputs). Scores and
graders' comments come from the gradebook, so manual grades are included.
"""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
from nbconvert.filters import markdown2html

from coopcourse.grading.classroom.gradebook import open_gradebook
from coopcourse.grading.classroom.late import assess, course_rules, submission_timestamp
from coopcourse.grading.nbgrader_cells import grade_id, nbgrader_metadata
from coopcourse.grading.pipeline.grade import Job, read_result
from coopcourse.grading.pipeline.source import AssignmentSource
from coopcourse.grading.settings import CourseSettings

STYLE = """body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;line-height:1.5}
pre{background:#f4f4f4;padding:.6rem;overflow-x:auto}.pass{color:#0a6b2d}.fail{color:#a4161a}
.problems{border-left:4px solid #a4161a;padding-left:1rem}"""


def _esc(text: object) -> str:
    return html.escape(str(text))


def _scores_from_gradebook(settings: CourseSettings, source: AssignmentSource, student: str):
    """Scores and comments by grade id, and nbgrader's own seconds late."""
    scores, comments, seconds_late = {}, {}, 0.0
    with open_gradebook(settings) as gradebook:
        try:
            notebook = gradebook.find_submission_notebook(
                source.notebook_name, source.name, student
            )
            seconds_late = gradebook.find_submission(source.name, student).total_seconds_late
        except Exception:  # noqa: BLE001 - not in the gradebook yet
            return scores, comments, seconds_late
        for grade in notebook.grades:
            # A grade still waiting for a grader has no score to show yet.
            waiting = grade.manual_score is None and grade.auto_score is None
            scores[grade.name] = None if waiting else grade.score
        for comment in notebook.comments:
            text = comment.manual_comment or comment.auto_comment
            if text:
                comments[comment.name] = text
    return scores, comments, seconds_late or 0.0


def _answers(settings: CourseSettings, source: AssignmentSource, student: str) -> dict[str, str]:
    path = settings.folder("autograded", student, source.name) / f"{source.notebook_name}.ipynb"
    if not path.exists():
        return {}
    notebook = nbformat.read(path, as_version=4)
    answers = {}
    for cell in notebook.cells:
        if nbgrader_metadata(cell).get("solution") and grade_id(cell):
            answers[grade_id(cell)] = cell.source
    return answers


def feedback_html(settings: CourseSettings, source: AssignmentSource, student: str) -> str:
    result = read_result(settings, Job(student, source.name))
    scores, comments, nbgrader_late = _scores_from_gradebook(settings, source, student)
    answers = _answers(settings, source, student)
    checks = {check.check_id: check for check in (result.checks if result else [])}
    total = sum(score or 0 for score in scores.values())
    lateness = assess(
        course_rules(settings),
        source.name,
        submission_timestamp(settings, student, source.name, result),
        total,
        source.max_score,
        fallback_seconds=nbgrader_late,
    )
    parts = [
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Feedback: {_esc(source.name)}</title><style>{STYLE}</style></head><body>",
        f"<h1>Feedback on {_esc(source.name)}</h1>",
        f"<p>Student: <b>{_esc(student)}</b>. Score: <b>{total:g} / {source.max_score:g}</b>"
        + (" (some written answers are not marked yet)" if None in scores.values() else "")
        + ".</p>",
    ]
    if lateness.penalty:
        parts.append(
            f"<p>Submitted {_esc(_duration(lateness.seconds_late))} after the due date: "
            f"late penalty <b>{lateness.penalty:g}</b> points, so the score counted is "
            f"<b>{round(total - lateness.penalty, 2):g} / {source.max_score:g}</b>.</p>"
        )
    shown = result.learner_problems if result else []
    if shown:
        items = "".join(f"<li>{_esc(problem)}</li>" for problem in shown)
        parts.append(
            f"<div class='problems'><h2>Problems with this submission</h2><ul>{items}</ul></div>"
        )
    for cell in source.cells:
        if cell.kind in ("plain", "locked") and cell.cell_type == "markdown":
            # Instructor-written text from the source (the same as in the exercise).
            parts.append(f"<div class='prose'>{markdown2html(cell.source)}</div>")
        elif cell.kind in ("answer", "manual"):
            text = answers.get(cell.grade_id, "(no answer)")
            parts.append(f"<h3>Your answer ({_esc(cell.grade_id)})</h3><pre>{_esc(text)}</pre>")
            if cell.kind == "manual":
                parts.append(_score_line(cell.grade_id, scores, cell.points))
            if comments.get(cell.grade_id):
                parts.append(f"<p><i>Comment:</i> {_esc(comments[cell.grade_id])}</p>")
        elif cell.kind == "test":
            parts.append(f"<h3>Tests ({_esc(cell.grade_id)})</h3>")
            visible = cell.release_source.strip()
            if visible:
                parts.append(f"<pre>{_esc(visible)}</pre>")
            parts.append(_check_list(cell, checks))
            parts.append(_score_line(cell.grade_id, scores, cell.points))
    parts.append("</body></html>")
    return "\n".join(parts)


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"]
    return " ".join(parts)


def _score_line(grade_id: str, scores: dict, points: float) -> str:
    score = scores.get(grade_id)
    shown = "not marked yet" if score is None else f"{score:g}"
    return f"<p>Points: {shown} / {points:g}</p>"


def _question(check_id: str) -> str:
    parts = check_id.split(".")
    return parts[1] if len(parts) >= 3 else "this question"


def _check_list(cell, checks: dict) -> str:
    """Visible checks one by one; hidden checks only as one result per question.

    Messages are the grader's own words (see scoring.judge): no learner output or
    exception text, which could carry hidden test inputs captured during grading.
    """
    items: list[str] = []
    hidden: dict[str, bool] = {}
    for spec in cell.checks:
        result = checks.get(spec.check_id)
        passed = bool(result and result.passed)
        if spec.hidden:
            question = _question(spec.check_id)
            hidden[question] = hidden.get(question, True) and passed
            continue
        mark = _mark(passed)
        why = "" if passed or not result else f" — {_esc(result.message)}"
        items.append(f"<li>{_esc(spec.check_id)}: {mark}{why}</li>")
    for question, passed in hidden.items():
        verdict = "all passed" if passed else "not all passed"
        items.append(
            f"<li>hidden tests of {_esc(question)}: "
            f"<span class='{'pass' if passed else 'fail'}'>{verdict}</span></li>"
        )
    return "<ul>" + "".join(items) + "</ul>"


def _mark(passed: bool) -> str:
    return "<span class='pass'>passed</span>" if passed else "<span class='fail'>not passed</span>"


def write_feedback(
    settings: CourseSettings, source: AssignmentSource, students: list[str]
) -> list[Path]:
    written = []
    for student in students:
        folder = settings.folder("feedback", student, source.name)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{source.notebook_name}.html"
        path.write_text(feedback_html(settings, source, student), encoding="utf-8")
        written.append(path)
    return written
