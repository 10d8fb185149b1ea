"""Export grades: one CSV row per student, a column per question, totals and a summary.

Scores are read from the gradebook (so manual grades made in formgrader count);
problems come from the grading results. Each row shows the raw total, how late
the submission was, the late penalty (see :mod:`coopcourse.grading.classroom.late`) and
the final total. A written answer not marked yet is "pending", never zero; a
submission without a readable grading result (autograde not run yet, or its
result file damaged, from an older version, or made before the learner handed
in again) is "not graded", with its marks
left blank and the command to run in ``problems``, and is left out of the
summary; so is one whose grading failed (status ``error``: the grader's fault,
no mark), with the reason in ``problems``. The summary gives mean and median
(final totals), each question's success rate (full marks; written answers over
those marked), how many answers are pending, and each check's pass rate, as a
table (CSV and text) and a bar chart (PNG).
"""

from __future__ import annotations

import csv
import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from coopcourse.grading.classroom.gradebook import open_gradebook
from coopcourse.grading.classroom.late import LateRules, assess, course_rules, submission_timestamp
from coopcourse.grading.pipeline.grade import Job, is_current, read_result
from coopcourse.grading.pipeline.source import AssignmentSource
from coopcourse.grading.result import ERROR, GRADED, UNREADABLE, GradingResult
from coopcourse.grading.settings import CourseSettings


def question_of(cell) -> str:
    """The question a graded cell belongs to: from its check ids, else its grade_id."""
    if cell.checks:
        parts = cell.checks[0].check_id.split(".")
        if len(parts) >= 3:
            return parts[1]
    # Grade ids name their question first: q4-answer (the course), q3_answer (nbgrader's examples).
    return re.split(r"[-_]", cell.grade_id, maxsplit=1)[0]


def questions(source: AssignmentSource) -> dict[str, dict]:
    """Question -> {"cells": [grade ids], "max": points}, in notebook order."""
    found: dict[str, dict] = {}
    for cell in source.cells:
        if cell.kind in ("test", "manual"):
            entry = found.setdefault(question_of(cell), {"cells": [], "max": 0.0, "manual": False})
            entry["cells"].append(cell.grade_id)
            entry["max"] += cell.points
            entry["manual"] = entry["manual"] or cell.kind == "manual"
    return found


PENDING = "pending"
NOT_GRADED = "not graded"  # handed in, but no readable grading result
NOT_SUBMITTED = "not submitted"
# Statuses of a handed-in submission that has no marks (ERROR: the grader failed).
NO_MARKS = (NOT_GRADED, ERROR)
# The columns of a row that hold marks (with the question columns): blank when not graded.
MARK_COLUMNS = (
    "auto_total",
    "manual_total",
    "raw_total",
    "late_penalty",
    "final_total",
    "needs_manual_grading",
    "manual_pending",
)


def autograde_first(assignment: str) -> str:
    """What the instructor is told about a submission that has no readable result."""
    return (
        "not graded yet (no grading result, or a damaged or outdated one): "
        f"run `coopcourse class autograde {assignment}` first"
    )


def handed_in_again(assignment: str) -> str:
    """What the instructor is told about a result made from an earlier submission."""
    return (
        "graded before its latest change (handed in again, or the assignment or the "
        "grading code changed): "
        f"run `coopcourse class autograde {assignment}`"
    )


def grading_failed(assignment: str) -> str:
    """What the instructor is told about a submission whose grading failed (status ERROR)."""
    return f"grading failed; run `coopcourse class autograde {assignment}` again"


def standing(
    settings: CourseSettings, source: AssignmentSource, student: str, result: GradingResult | None
) -> tuple[str, str | None]:
    """A student's status for feedback and export, given their stored ``result``, and,
    if the submission has no marks, why (for the instructor; None if it has marks).

    A result counts only if it is current (made from the submission as it is now:
    the test autograde uses to decide what to grade again) and its grading did not
    fail; otherwise whatever the gradebook holds is not this submission's grade.
    """
    folder = settings.folder("submitted", student, source.name)
    if not folder.is_dir():
        return NOT_SUBMITTED, f"nothing submitted for {source.name}"
    if result is None:
        return NOT_GRADED, autograde_first(source.name)
    if result.status == ERROR:  # (its fingerprint matches nothing: graded again)
        return ERROR, grading_failed(source.name)
    if not is_current(result, folder, source):
        return NOT_GRADED, handed_in_again(source.name)
    return result.status, None


def graded_rows(rows: list[dict]) -> list[dict]:
    """The rows that carry marks (a "not graded" or "error" row has none, not zero)."""
    return [row for row in rows if row.get("status") not in NO_MARKS]


@dataclass
class Export:
    grades_csv: Path
    summary_csv: Path
    plot_png: Path
    summary_text: str
    # Student -> why their marks are blank (not graded, or the grading failed).
    gaps: dict[str, str] = field(default_factory=dict)


def student_rows(
    settings: CourseSettings,
    source: AssignmentSource,
    students: list[str],
    lms_ids: dict[str, str] | None = None,
    rules: LateRules | None = None,
):
    """One row per student: question points ("pending" for unmarked written answers),
    raw total, lateness, late penalty and final total; all marks blank for a
    submission that is "not graded" or whose grading failed ("error")."""
    rules = rules if rules is not None else course_rules(settings)
    by_question = questions(source)
    manual_ids = {cell.grade_id for cell in source.cells if cell.kind == "manual"}
    rows = []
    with open_gradebook(settings) as gradebook:
        for student in students:
            try:
                notebook = gradebook.find_submission_notebook(
                    source.notebook_name, source.name, student
                )
                scores = {grade.name: grade.score for grade in notebook.grades}
                pending = {g.name for g in notebook.grades if g.needs_manual_grade}
                # nbgrader reports an unmarked cell's score as 0; what counts is
                # that neither a grader nor the autograder gave it one.
                unmarked = {
                    g.name
                    for g in notebook.grades
                    if g.name in manual_ids and g.manual_score is None and g.auto_score is None
                }
                late = gradebook.find_submission(source.name, student).total_seconds_late
            except Exception:  # noqa: BLE001 - not graded yet
                notebook, scores, pending, unmarked, late = None, {}, set(), set(), 0
            result = read_result(settings, Job(student, source.name))
            status, why = standing(settings, source, student, result)
            submitted = status != NOT_SUBMITTED
            # A written answer nobody has marked yet is pending, not zero.
            row = {"student_id": student, "status": status}
            if lms_ids is not None:
                row["lms_id"] = lms_ids.get(student, "")
            for question, entry in by_question.items():
                if unmarked & set(entry["cells"]):
                    row[question] = PENDING
                else:
                    row[question] = sum(scores.get(gid) or 0 for gid in entry["cells"])
            row["auto_total"] = sum(scores.get(gid) or 0 for gid in scores if gid not in manual_ids)
            row["manual_total"] = sum(scores.get(gid) or 0 for gid in scores if gid in manual_ids)
            raw = row["auto_total"] + row["manual_total"]
            lateness = assess(
                rules,
                source.name,
                submission_timestamp(settings, student, source.name, result) if submitted else None,
                raw,
                source.max_score,
                fallback_seconds=late or 0,
            )
            if notebook is not None and status not in NO_MARKS:
                # Kept in nbgrader's gradebook too, so its own feedback and export agree.
                notebook.late_submission_penalty = lateness.penalty or None
            row["raw_total"] = raw
            row["seconds_late"] = round(lateness.seconds_late)
            row["late_penalty"] = lateness.penalty
            row["final_total"] = round(raw - lateness.penalty, 6)
            row["max_score"] = source.max_score
            row["needs_manual_grading"] = len(pending)
            row["manual_pending"] = " ".join(
                q for q, entry in by_question.items() if row[q] == PENDING
            )
            # "no" when an instructor graded with --no-sandbox; blank if not graded.
            row["sandboxed"] = "" if result is None else ("yes" if result.sandboxed else "no")
            row["problems"] = " | ".join(result.problems if result else [])
            if status in NO_MARKS:
                # Whatever the gradebook holds (nothing, or an earlier run's marks) is
                # not this submission's grade: no marks, and say what to do.
                for column in (*by_question, *MARK_COLUMNS):
                    row[column] = ""
                if status == NOT_GRADED:
                    row["problems"] = why
                else:  # the reason, for the instructor
                    row["problems"] = " | ".join([*result.problems, why])
            rows.append(row)
        gradebook.db.commit()
    return rows


def check_pass_rates(
    settings: CourseSettings, source: AssignmentSource, rows: list[dict]
) -> dict[str, tuple[int, int]]:
    """Check id -> (passed, graded submissions), over the rows (from
    :func:`student_rows`, whose status is each student's :func:`standing`) with marks.

    An unreadable submission counts as graded and failing every check; a student
    who submitted nothing, or has no current result, is left out.
    """
    counts = {spec.check_id: [0, 0] for spec in source.checks}
    for row in rows:
        if row["status"] not in (GRADED, UNREADABLE):
            continue
        passed = read_result(settings, Job(row["student_id"], source.name)).passed_check_ids()
        for check_id, count in counts.items():
            count[0] += check_id in passed
            count[1] += 1
    return {check_id: (p, n) for check_id, (p, n) in counts.items()}


def read_roster_ids(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {
            row["student_id"].strip(): (row.get("lms_id") or "").strip()
            for row in csv.DictReader(handle)
            if (row.get("student_id") or "").strip()
        }


def _full_marks(row: dict, question: str, entry: dict) -> bool | None:
    """Did the row get full marks on the question (None while it is pending)?"""
    if row[question] == PENDING:
        return None
    return bool(entry["max"]) and row[question] >= entry["max"]


def summarise(
    source: AssignmentSource, rows: list[dict], checks: dict[str, tuple[int, int]] | None = None
) -> list[dict]:
    by_question = questions(source)
    summary = [{"measure": "students", "value": len(rows)}]
    marked_rows = graded_rows(rows)
    for status, measure in (
        (NOT_GRADED, "not graded (run autograde first)"),
        (ERROR, "grading failed (run autograde again)"),
    ):
        if count := sum(1 for row in rows if row.get("status") == status):
            summary.append({"measure": measure, "value": count})
    rows = marked_rows  # the measures below are over marks
    totals = [row["final_total"] for row in rows]
    summary += [
        {"measure": "mean total", "value": round(statistics.mean(totals), 2) if totals else 0},
        {"measure": "median total", "value": round(statistics.median(totals), 2) if totals else 0},
        {"measure": "maximum possible", "value": source.max_score},
        {"measure": "late submissions", "value": sum(1 for r in rows if r["seconds_late"] > 0)},
        {
            "measure": "late penalties (points, total)",
            "value": round(sum(r["late_penalty"] for r in rows), 2),
        },
    ]
    for question, entry in by_question.items():
        marks = [_full_marks(row, question, entry) for row in rows]
        marked = [mark for mark in marks if mark is not None]
        share = sum(marked) / len(marked) if marked else 0.0
        summary.append(
            {"measure": f"{question} success rate (full marks)", "value": round(share, 3)}
        )
        if entry["manual"]:
            waiting = len(marks) - len(marked)
            summary.append({"measure": f"{question} pending (not marked yet)", "value": waiting})
    for check_id, (passed, graded) in (checks or {}).items():
        summary.append(
            {
                "measure": f"check {check_id} pass rate",
                "value": round(passed / graded, 3) if graded else 0.0,
            }
        )
    return summary


def _plot(source: AssignmentSource, rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    by_question = questions(source)
    names = list(by_question)
    rows = graded_rows(rows)
    rates = []
    for q in names:
        marked = [m for m in (_full_marks(r, q, by_question[q]) for r in rows) if m is not None]
        rates.append(100 * sum(marked) / max(len(marked), 1))
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.bar(names, rates, color="#3a6ea5")
    left.set_ylim(0, 100)
    left.set_xlabel("Question")
    left.set_ylabel("Students with full marks (%)")
    left.set_title("Success rate per question")
    right.hist(
        [row["final_total"] for row in rows],
        bins=10,
        range=(0, max(source.max_score, 1)),
        color="#8c6bb1",
    )
    right.set_xlabel(f"Total score (out of {source.max_score:g})")
    right.set_ylabel("Number of students")
    right.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.set_title("Distribution of totals")
    figure.suptitle(f"{source.name}: {len(rows)} students")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def summary_table(summary: list[dict]) -> str:
    width = max(len(str(item["measure"])) for item in summary)
    return "\n".join(f"{item['measure']:<{width}}  {item['value']}" for item in summary)


# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value``, with text that a spreadsheet would run as a formula made inert.

    Student ids, file names and problem messages come from learners; a leading
    apostrophe makes Excel, LibreOffice and Google Sheets show them as text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, fields: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)


def export_grades(
    settings: CourseSettings,
    source: AssignmentSource,
    students: list[str],
    roster: Path | None = None,
) -> Export:
    """Write the grades CSV, summary CSV and plot.

    With a roster (student_id, lms_id columns, as for collect), every student on it
    gets a row, those who submitted nothing with status "not submitted", and an
    ``lms_id`` column helps the upload back to the LMS. ``gaps`` names the students
    whose submission has no marks (no current grading result, see
    :func:`autograde_first`, or a failed grading) and what to do.
    """
    lms_ids = None
    if roster is not None:
        lms_ids = read_roster_ids(roster)
        students = sorted(set(students) | set(lms_ids))
    rows = student_rows(settings, source, students, lms_ids)
    checks = check_pass_rates(settings, source, rows)
    folder = settings.root / settings.export
    folder.mkdir(parents=True, exist_ok=True)
    grades_csv = folder / f"{source.name}_grades.csv"
    write_csv(grades_csv, list(rows[0]) if rows else ["student_id"], rows)
    summary = summarise(source, rows, checks)
    summary_csv = folder / f"{source.name}_summary.csv"
    write_csv(summary_csv, ["measure", "value"], summary)
    plot_png = folder / f"{source.name}_summary.png"
    _plot(source, rows, plot_png)
    gaps = {}
    for row in rows:
        if row["status"] == NOT_GRADED:  # its problems say why and what to run
            gaps[row["student_id"]] = row["problems"]
        elif row["status"] == ERROR:
            gaps[row["student_id"]] = grading_failed(source.name)
    return Export(grades_csv, summary_csv, plot_png, summary_table(summary), gaps)
