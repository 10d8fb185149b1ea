"""The course gradebook: every assignment together, weighted, with a final mark and
grade-import files for Canvas and Moodle.

Each assignment's points are its final total (after any late penalty, see
:mod:`coopcourse.grading.classroom.export`). A student who submitted nothing scores 0; an
assignment still waiting for manual grading (or not graded yet, or whose grading
failed) is "pending",
and so is the final mark: the LMS files leave pending cells empty, never zero
(Moodle imports an empty cell as "no grade"; the command warns which columns).

The final mark is a percentage: the weighted mean of each assignment's share of
its points. Weights come from a CSV (``assignment,weight`` and optionally
``title`` — the assignment's name in the LMS — and ``canvas_id``); without one,
every assignment in ``solutions/`` weighs the same. A row whose assignment is
``final`` names the LMS column for the final mark (and its Canvas id); only then
is the final mark written into the LMS files (Canvas would otherwise count it
as one more assignment).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from coopcourse.grading.classroom.export import (
    NO_MARKS,
    NOT_SUBMITTED,
    PENDING,
    spreadsheet_safe,
    student_rows,
)
from coopcourse.grading.classroom.late import LateRules
from coopcourse.grading.classroom.lms import (
    Item,
    Person,
    Roster,
    read_roster,
    write_canvas_import,
    write_moodle_import,
)
from coopcourse.grading.settings import CourseSettings

FINAL = "final"
LMS_CHOICES = ("canvas", "moodle")


class WeightsError(ValueError):
    """The weights file cannot be used."""


@dataclass(frozen=True)
class Weighting:
    assignment: str
    weight: float
    title: str = ""
    canvas_id: str = ""


def read_weights(path: Path) -> list[Weighting]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not {"assignment", "weight"} <= set(reader.fieldnames or []):
            raise WeightsError(f"{path.name}: needs the columns assignment and weight")
        found = []
        for row in reader:
            name = (row.get("assignment") or "").strip()
            if not name:
                continue
            text = (row.get("weight") or "").strip()
            try:
                weight = float(text) if text else (0.0 if name == FINAL else 1.0)
            except ValueError:
                raise WeightsError(f"{path.name}: weight of {name} is not a number") from None
            if weight < 0:
                raise WeightsError(f"{path.name}: weight of {name} is negative")
            title = (row.get("title") or "").strip()
            found.append(Weighting(name, weight, title, (row.get("canvas_id") or "").strip()))
    if not any(w.weight > 0 for w in found if w.assignment != FINAL):
        raise WeightsError(f"{path.name}: no assignment has a weight above zero")
    return found


def course_assignments(settings: CourseSettings) -> list[str]:
    """Assignments in solutions/ (folders holding a notebook), in name order."""
    folder = settings.source_dir
    if not folder.is_dir():
        return []
    return sorted(
        path.name
        for path in folder.iterdir()
        if path.is_dir() and not path.name.startswith(".") and any(path.glob("*.ipynb"))
    )


def final_mark(
    points: dict[str, float | None], maxima: dict[str, float], weights: dict[str, float]
) -> float | None:
    """Weighted mean share of the points, in percent; None while anything is pending."""
    total_weight = sum(weights.values())
    if total_weight <= 0:
        return None
    mark = 0.0
    for assignment, weight in weights.items():
        value = points.get(assignment)
        if value is None:
            return None
        if maxima.get(assignment):
            mark += weight * value / maxima[assignment]
    return round(100 * mark / total_weight, 2)


@dataclass
class CourseGradebook:
    assignments: list[str]
    weights: dict[str, float]
    maxima: dict[str, float]
    people: list[Person]
    points: dict[str, dict[str, float | None]]  # student -> assignment -> points or None
    finals: dict[str, float | None]
    items: list[Item]
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        total = sum(self.weights.values())
        lines = [
            f"{a}: weight {self.weights[a]:g} ({100 * self.weights[a] / total:.1f}%), "
            f"out of {self.maxima[a]:g}"
            for a in self.assignments
        ]
        done = [mark for mark in self.finals.values() if mark is not None]
        lines.append(
            f"{len(self.people)} students; final mark for {len(done)}, "
            f"pending for {len(self.finals) - len(done)}"
        )
        return lines


def _assignment_points(rows: list[dict]) -> dict[str, float | None]:
    graded = any(row["status"] not in (NOT_SUBMITTED, *NO_MARKS) for row in rows)
    points: dict[str, float | None] = {}
    for row in rows:
        if row["status"] == NOT_SUBMITTED:
            points[row["student_id"]] = 0.0 if graded else None
        elif row["status"] in NO_MARKS or row["manual_pending"]:  # not graded, or it failed
            points[row["student_id"]] = None
        else:
            points[row["student_id"]] = row["final_total"]
    return points


def build(
    settings: CourseSettings,
    weights: list[Weighting] | None = None,
    roster: Roster | None = None,
    students: list[str] | None = None,
    rules: LateRules | None = None,
) -> CourseGradebook:
    """Collect every assignment's final points per student and the final marks."""
    from coopcourse.grading.pipeline.runner import students_with_submissions
    from coopcourse.grading.pipeline.source import load_assignment

    chosen = weights or [Weighting(a, 1.0) for a in course_assignments(settings)]
    per_assignment = [w for w in chosen if w.assignment != FINAL]
    final_item = next((w for w in chosen if w.assignment == FINAL), None)
    assignments = [w.assignment for w in per_assignment]
    if not assignments:
        raise WeightsError("no assignments to put in the gradebook")
    people = list(roster.people) if roster else []
    known = {person.student_id for person in people}
    everyone = set(students or [])
    for assignment in assignments:
        everyone |= set(students_with_submissions(settings, assignment))
    people += [Person(student_id=s) for s in sorted(everyone - known)]
    ids = [person.student_id for person in people]

    canvas_ids = roster.canvas_assignments if roster else {}
    maxima, points, items = {}, {s: {} for s in ids}, []
    for weighting in per_assignment:
        source = load_assignment(settings.source_dir, weighting.assignment, settings.release_dir)
        maxima[weighting.assignment] = source.max_score
        rows = student_rows(settings, source, ids, rules=rules)
        for student, value in _assignment_points(rows).items():
            points[student][weighting.assignment] = value
        title = weighting.title or weighting.assignment
        canvas_id = weighting.canvas_id or canvas_ids.get(title.lower(), "")
        items.append(Item(weighting.assignment, title, source.max_score, canvas_id))
    weight_of = {w.assignment: w.weight for w in per_assignment}
    finals = {s: final_mark(points[s], maxima, weight_of) for s in ids}
    if final_item is not None:
        title = final_item.title or "Final mark"
        canvas_id = final_item.canvas_id or canvas_ids.get(title.lower(), "")
        items.append(Item(FINAL, title, 100.0, canvas_id))
    return CourseGradebook(assignments, weight_of, maxima, people, points, finals, items)


def write(book: CourseGradebook, folder: Path, lms: list[str] | None = None) -> CourseGradebook:
    """Write course_gradebook.csv, course_weights.csv and the LMS import files."""
    folder.mkdir(parents=True, exist_ok=True)
    total = sum(book.weights.values())
    weights_csv = folder / "course_weights.csv"
    with weights_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["assignment", "weight", "share", "max_score"])
        for a in book.assignments:
            share = round(book.weights[a] / total, 4)
            writer.writerow([a, f"{book.weights[a]:g}", share, f"{book.maxima[a]:g}"])
    gradebook_csv = folder / "course_gradebook.csv"
    with gradebook_csv.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student_id", "name", "lms_id", *book.assignments, "final_mark"])
        for person in book.people:
            own = book.points[person.student_id]
            final = book.finals[person.student_id]
            writer.writerow(
                [
                    spreadsheet_safe(person.student_id),
                    spreadsheet_safe(person.name),
                    spreadsheet_safe(person.lms_id),
                    *[PENDING if own[a] is None else f"{own[a]:g}" for a in book.assignments],
                    PENDING if final is None else f"{final:g}",
                ]
            )
    book.files = [gradebook_csv, weights_csv]
    grades = {student: {**own, FINAL: book.finals[student]} for student, own in book.points.items()}
    for name in lms or list(LMS_CHOICES):
        if name == "canvas":
            path = folder / "canvas_import.csv"
            book.warnings += write_canvas_import(path, book.people, book.items, grades)
        elif name == "moodle":
            path = folder / "moodle_import.csv"
            book.warnings += write_moodle_import(path, book.people, book.items, grades)
        else:
            raise ValueError(f"unknown LMS {name!r}; use one of {LMS_CHOICES}")
        book.files.append(path)
    return book


def course_gradebook(
    settings: CourseSettings,
    weights_path: Path | None = None,
    roster_path: Path | None = None,
    lms: str | None = None,
    rules: LateRules | None = None,
) -> CourseGradebook:
    """``coopcourse class gradebook``: build and write the course gradebook."""
    weights = read_weights(weights_path) if weights_path else None
    roster = read_roster(roster_path) if roster_path else None
    if lms is None and roster is not None and roster.layout in LMS_CHOICES:
        lms = roster.layout
    book = build(settings, weights, roster, rules=rules)
    return write(book, settings.root / settings.export, [lms] if lms else None)
