"""Feedback for learners that never reveals hidden tests.

Feedback is built from what the learner may see: their own answers, the visible
part of each test cell (as released), the result of each visible check (with its
reason only before the first hidden test cell), and only "passed"/"not passed"
for hidden checks — no hidden source, no traceback, no output of the grading run
(which could echo hidden inputs). Scores and
graders' comments come from the gradebook, so manual grades are included.

A learner whose submission has no readable grading result (autograde not run
yet, or its result damaged, from an older version, or made before they handed in
again), or whose grading failed
(status ERROR, no marks), gets no page: it would show every check failed and no
marks. :func:`feedback_gaps` tells the instructor why.

This module only gathers what a page shows; the markup is the jinja2 template
``templates/feedback.html.j2``, rendered with autoescaping on. The only HTML
passed to it as safe is the course's own prose rendered by markdown2html: the
learner's answers, names, problems and comments are plain text, escaped there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from nbconvert.filters import markdown2html

from coopcourse.grading.classroom.export import standing
from coopcourse.grading.classroom.gradebook import open_gradebook
from coopcourse.grading.classroom.late import (
    Lateness,
    assess,
    course_rules,
    submission_timestamp,
)
from coopcourse.grading.nbgrader_cells import grade_id, nbgrader_metadata
from coopcourse.grading.pipeline.grade import Job, hidden_inputs_seen_from, read_result
from coopcourse.grading.pipeline.source import AssignmentSource, SourceCell
from coopcourse.grading.result import GradingResult, ScoredCheck
from coopcourse.grading.settings import CourseSettings

# In this package's templates/ folder, which must ship as package data.
TEMPLATE_FOLDER, TEMPLATE = "templates", "feedback.html.j2"


@dataclass(frozen=True)
class CheckLine:
    """One line of a test cell's check list: a visible check, or all hidden
    checks of one question together (their messages are never kept here)."""

    label: str
    passed: bool
    verdict: str
    why: str | None = None  # the grader's message for a failed visible check


@dataclass(frozen=True)
class Block:
    """What the page shows for one cell of the source notebook."""

    kind: str  # "prose", "answer" or "test"
    grade_id: str | None = None
    text: str = ""  # the learner's answer or the visible test source (plain text)
    html: Markup | None = None  # prose only: the course's own text as HTML
    score: float | None = None  # None: not marked yet
    points: float | None = None  # None: no points line under this block
    comment: str | None = None
    checks: tuple[CheckLine, ...] = ()


def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader(__package__, TEMPLATE_FOLDER),
        autoescape=True,
        undefined=StrictUndefined,  # a misspelt name fails instead of showing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["g"] = lambda number: f"{number:g}"
    return environment


ENVIRONMENT = _environment()


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
    lateness = assess(
        course_rules(settings),
        source.name,
        submission_timestamp(settings, student, source.name, result),
        sum(score or 0 for score in scores.values()),
        source.max_score,
        fallback_seconds=nbgrader_late,
    )
    return render_feedback(
        source,
        student,
        result,
        scores=scores,
        comments=comments,
        answers=_answers(settings, source, student),
        lateness=lateness,
    )


def render_feedback(
    source: AssignmentSource,
    student: str,
    result: GradingResult | None,
    *,
    scores: dict[str, float | None],
    comments: dict[str, str],
    answers: dict[str, str],
    lateness: Lateness,
) -> str:
    """The page for one learner, from what :func:`feedback_html` gathered.

    ``scores`` and ``comments`` are the gradebook's (by grade id; a score of None
    is not marked yet); ``answers`` the learner's cells by grade id. Of ``result``
    only the per-check verdicts and ``learner_problems`` are used: its ``problems``
    are for the instructor and may describe hidden tests.
    """
    total = sum(score or 0 for score in scores.values())
    checks = {check.check_id: check for check in (result.checks if result else [])}
    cut = hidden_inputs_seen_from(source.notebook.cells)
    return ENVIRONMENT.get_template(TEMPLATE).render(
        assignment=source.name,
        student=student,
        total=total,
        max_score=source.max_score,
        pending=None in scores.values(),
        penalty=lateness.penalty,
        delay=_duration(lateness.seconds_late),
        counted=round(total - lateness.penalty, 2),
        problems=list(result.learner_problems) if result else [],
        blocks=[
            block
            for cell in source.cells
            if (block := _block(cell, scores, comments, answers, checks, cut)) is not None
        ],
    )


def _block(
    cell: SourceCell,
    scores: dict[str, float | None],
    comments: dict[str, str],
    answers: dict[str, str],
    checks: dict[str, ScoredCheck],
    cut: int,
) -> Block | None:
    if cell.kind in ("plain", "locked") and cell.cell_type == "markdown":
        # Instructor-written text from the source (the same as in the exercise):
        # the only HTML the page takes as it is.
        return Block("prose", html=Markup(markdown2html(cell.source)))
    if cell.kind in ("answer", "manual"):
        # Shown as plain text, never rendered: a written answer is the learner's
        # own markdown and could carry any HTML.
        return Block(
            "answer",
            cell.grade_id,
            text=answers.get(cell.grade_id, "(no answer)"),
            score=scores.get(cell.grade_id),
            points=cell.points if cell.kind == "manual" else None,
            comment=comments.get(cell.grade_id),
        )
    if cell.kind == "test":
        return Block(
            "test",
            cell.grade_id,
            text=cell.release_source.strip(),
            score=scores.get(cell.grade_id),
            points=cell.points,
            checks=tuple(_check_lines(cell, checks, with_reasons=cell.index < cut)),
        )
    return None


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"]
    return " ".join(parts)


def _question(check_id: str) -> str:
    parts = check_id.split(".")
    return parts[1] if len(parts) >= 3 else "this question"


def _check_lines(
    cell: SourceCell, checks: dict[str, ScoredCheck], *, with_reasons: bool
) -> list[CheckLine]:
    """Visible checks one by one; hidden checks only as one line per question.

    Messages are the grader's own words (see scoring.judge): no learner output or
    exception text. Even so, which built-in exception was raised and where a value
    differs are the learner code's choice, so a failed visible check's reason is
    given only ``with_reasons``: for cells before the first hidden test, before any
    hidden input could have been stashed (see ``hidden_inputs_seen_from``).
    """
    lines: list[CheckLine] = []
    hidden: dict[str, bool] = {}
    for spec in cell.checks:
        result = checks.get(spec.check_id)
        passed = bool(result and result.passed)
        if spec.hidden:
            question = _question(spec.check_id)
            hidden[question] = hidden.get(question, True) and passed
            continue
        why = result.message if result and not passed and with_reasons else None
        lines.append(CheckLine(spec.check_id, passed, "passed" if passed else "not passed", why))
    for question, passed in hidden.items():
        verdict = "all passed" if passed else "not all passed"
        lines.append(CheckLine(f"hidden tests of {question}", passed, verdict))
    return lines


def feedback_gaps(
    settings: CourseSettings, source: AssignmentSource, students: list[str]
) -> dict[str, str]:
    """Students who get no feedback page (nothing handed in, no current result, or
    their grading failed), each with what the instructor should know."""
    gaps = {}
    for student in students:
        result = read_result(settings, Job(student, source.name))
        _, why = standing(settings, source, student, result)
        if why is not None:
            gaps[student] = why
    return gaps


@dataclass(frozen=True)
class FeedbackRun:
    written: list[Path]  # one page per student with marks
    gaps: dict[str, str]  # the others (see feedback_gaps): student -> why no page


def write_feedback(
    settings: CourseSettings, source: AssignmentSource, students: list[str]
) -> FeedbackRun:
    """Write each student's page; students in :func:`feedback_gaps` are left out."""
    written = []
    gaps = feedback_gaps(settings, source, students)
    for student in students:
        if student in gaps:
            continue
        folder = settings.folder("feedback", student, source.name)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{source.notebook_name}.html"
        path.write_text(feedback_html(settings, source, student), encoding="utf-8")
        written.append(path)
    return FeedbackRun(written, gaps)
