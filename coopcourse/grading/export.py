"""Export grades: one CSV row per student, a column per question, totals and a summary.

Scores are read from the gradebook (so manual grades made in formgrader count);
problems come from the grading results. The summary gives mean, median and each
question's success rate as a table (CSV and text) and a bar chart (PNG).
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from pathlib import Path

from coopcourse.grading.grade import Job, read_result
from coopcourse.grading.gradebook import open_gradebook
from coopcourse.grading.settings import CourseSettings
from coopcourse.grading.source import AssignmentSource


def question_of(cell) -> str:
    """The question a graded cell belongs to: from its check ids, else its grade_id."""
    if cell.checks:
        parts = cell.checks[0].check_id.split(".")
        if len(parts) >= 3:
            return parts[1]
    return cell.grade_id.split("_")[0]


def questions(source: AssignmentSource) -> dict[str, dict]:
    """Question -> {"cells": [grade ids], "max": points}, in notebook order."""
    found: dict[str, dict] = {}
    for cell in source.cells:
        if cell.kind in ("test", "manual"):
            entry = found.setdefault(question_of(cell), {"cells": [], "max": 0.0})
            entry["cells"].append(cell.grade_id)
            entry["max"] += cell.points
    return found


@dataclass
class Export:
    grades_csv: Path
    summary_csv: Path
    plot_png: Path
    summary_text: str


def student_rows(
    settings: CourseSettings,
    source: AssignmentSource,
    students: list[str],
    lms_ids: dict[str, str] | None = None,
):
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
                pending = [g.name for g in notebook.grades if g.needs_manual_grade]
                late = gradebook.find_submission(source.name, student).total_seconds_late
            except Exception:  # noqa: BLE001 - not graded yet
                scores, pending, late = {}, [], 0
            record = read_result(settings, Job(student, source.name)) or {}
            submitted = settings.folder("submitted", student, source.name).is_dir()
            status = record.get("status") or ("not graded" if submitted else "not submitted")
            row = {"student_id": student, "status": status}
            if lms_ids is not None:
                row["lms_id"] = lms_ids.get(student, "")
            for question, entry in by_question.items():
                row[question] = sum(scores.get(gid) or 0 for gid in entry["cells"])
            row["auto_total"] = sum(scores.get(gid) or 0 for gid in scores if gid not in manual_ids)
            row["manual_total"] = sum(scores.get(gid) or 0 for gid in scores if gid in manual_ids)
            row["total"] = row["auto_total"] + row["manual_total"]
            row["max_score"] = source.max_score
            row["needs_manual_grading"] = len(pending)
            row["seconds_late"] = round(late or 0)
            row["problems"] = " | ".join(record.get("problems", []))
            rows.append(row)
    return rows


def read_roster_ids(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return {
            row["student_id"].strip(): (row.get("lms_id") or "").strip()
            for row in csv.DictReader(handle)
            if (row.get("student_id") or "").strip()
        }


def summarise(source: AssignmentSource, rows: list[dict]) -> list[dict]:
    by_question = questions(source)
    totals = [row["total"] for row in rows]
    summary = [
        {"measure": "students", "value": len(rows)},
        {"measure": "mean total", "value": round(statistics.mean(totals), 2) if totals else 0},
        {"measure": "median total", "value": round(statistics.median(totals), 2) if totals else 0},
        {"measure": "maximum possible", "value": source.max_score},
    ]
    for question, entry in by_question.items():
        full = sum(1 for row in rows if entry["max"] and row[question] >= entry["max"])
        share = full / len(rows) if rows else 0.0
        summary.append(
            {"measure": f"{question} success rate (full marks)", "value": round(share, 3)}
        )
    return summary


def _plot(source: AssignmentSource, rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    by_question = questions(source)
    names = list(by_question)
    rates = [
        100
        * sum(1 for r in rows if by_question[q]["max"] and r[q] >= by_question[q]["max"])
        / max(len(rows), 1)
        for q in names
    ]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.bar(names, rates, color="#3a6ea5")
    left.set_ylim(0, 100)
    left.set_xlabel("Question")
    left.set_ylabel("Students with full marks (%)")
    left.set_title("Success rate per question")
    right.hist(
        [row["total"] for row in rows],
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
    ``lms_id`` column helps the upload back to the LMS.
    """
    lms_ids = None
    if roster is not None:
        lms_ids = read_roster_ids(roster)
        students = sorted(set(students) | set(lms_ids))
    rows = student_rows(settings, source, students, lms_ids)
    folder = settings.root / settings.export
    folder.mkdir(parents=True, exist_ok=True)
    grades_csv = folder / f"{source.name}_grades.csv"
    write_csv(grades_csv, list(rows[0]) if rows else ["student_id"], rows)
    summary = summarise(source, rows)
    summary_csv = folder / f"{source.name}_summary.csv"
    write_csv(summary_csv, ["measure", "value"], summary)
    plot_png = folder / f"{source.name}_summary.png"
    _plot(source, rows, plot_png)
    return Export(grades_csv, summary_csv, plot_png, summary_table(summary))
