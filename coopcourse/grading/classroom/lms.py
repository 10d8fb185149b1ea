"""Rosters from the LMS, and grade-import files that Canvas and Moodle accept as they are.

Rosters (``read_roster``) may be any of:

- the course's own CSV: ``student_id``, ``lms_id`` and optionally ``name``,
  ``email``, ``sis_user_id``, ``sis_login_id``, ``section``, ``id_number``;
- Canvas's gradebook export (Grades > Export): ``Student``, ``ID``,
  ``SIS User ID``, ``SIS Login ID``, ``Section``, one column per assignment
  ``Name (id)`` and a "Points Possible" row (skipped, as is Canvas's test student);
- Moodle's participants download: ``First name``, ``Last name`` (or
  ``Surname``), ``ID number``, ``Email address``, ``Username``, ...

Each person gets a course student id: the roster's ``student_id``; for Canvas
the SIS Login ID, else the SIS User ID, else the name as Canvas writes it in
submission downloads (``doejane``); for Moodle the ID number, else the
username, else the part of the e-mail address before the ``@``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

# Canvas gradebook import/export layout, as in the Canvas Instructor Guide "How do I
# import grades in the Gradebook?" (community.canvaslms.com, Instructor-Guide/ta-p/807)
# and the export notes ("How do I export grades in the Gradebook?"): these five
# columns first, then one column per assignment named "<Assignment name> (<assignment
# id>)" (a column without an id creates a new assignment on import), and an optional
# second row whose Student cell is "Points Possible". Read-only columns (Current Score,
# Final Score, ...) are ignored on import, so they are not written.
CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
CANVAS_POINTS_POSSIBLE = "    Points Possible"  # as Canvas's own export writes it
CANVAS_ASSIGNMENT = re.compile(r"^(?P<name>.*\S)\s*\((?P<id>\d+)\)$")

# Moodle grade import (CSV), as in MoodleDocs "Grade import" (docs.moodle.org/en/
# Grade_import): the import format is that of Moodle's grade export (plain text
# file), whose identity columns are these; on import "Map from" is set to
# "Email address" (Map to: useremail) or "ID number" (Map to: useridnumber), and each
# further column is mapped to a grade item. An empty cell leaves that grade unchanged.
MOODLE_COLUMNS = ("First name", "Last name", "ID number", "Email address")
MOODLE_IDENTIFIERS = {"Email address": "useremail", "ID number": "useridnumber"}

COURSE_ROSTER = ("student_id", "lms_id", "name")


class RosterError(ValueError):
    """The roster file is in none of the understood layouts."""


def canvas_login_name(sortable_name: str) -> str:
    """The name Canvas puts in submission downloads: "Doe, Jane" -> "doejane"."""
    return re.sub(r"[\W_]+", "", sortable_name.lower())


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return text or "unnamed"


@dataclass
class Person:
    student_id: str
    name: str = ""
    lms_id: str = ""  # Canvas user id, Moodle ID number, or what the course roster says
    email: str = ""
    id_number: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    first_name: str = ""
    last_name: str = ""

    def match_keys(self) -> set[str]:
        """Lower-case ids and names under which this person may appear in a download."""
        found = {
            self.student_id,
            self.lms_id,
            self.email,
            self.id_number,
            self.sis_user_id,
            self.sis_login_id,
            self.name,
        }
        if self.first_name or self.last_name:
            found.add(f"{self.first_name} {self.last_name}")
            found.add(canvas_login_name(f"{self.last_name}{self.first_name}"))
        if "," in self.name:  # Canvas's "Last, First"
            last, _, first = self.name.partition(",")
            found.add(f"{first.strip()} {last.strip()}")
            found.add(canvas_login_name(self.name))
        elif self.name:
            parts = self.name.split()
            if len(parts) >= 2:
                found.add(canvas_login_name(parts[-1] + "".join(parts[:-1])))
        return {key.strip().lower() for key in found if key and key.strip()}


@dataclass
class Roster:
    people: list[Person]
    layout: str  # "course", "canvas" or "moodle"
    canvas_assignments: dict[str, str] = field(default_factory=dict)  # name -> Canvas id

    def mapping(self) -> dict[str, str]:
        """Lower-case id or name -> course student id (ambiguous names left out)."""
        seen: dict[str, set[str]] = {}
        for person in self.people:
            for key in person.match_keys():
                seen.setdefault(key, set()).add(person.student_id)
        return {key: next(iter(ids)) for key, ids in seen.items() if len(ids) == 1}

    def by_student(self) -> dict[str, Person]:
        return {person.student_id: person for person in self.people}


def _cell(row: dict, *names: str) -> str:
    for name in names:
        value = row.get(name)
        if value and value.strip():
            return value.strip()
    return ""


def _normalise(header: str) -> str:
    return re.sub(r"\s+", " ", (header or "").strip().lstrip("\ufeff")).lower()


def _course_people(rows: list[dict]) -> list[Person]:
    people = []
    for row in rows:
        student = _cell(row, "student_id")
        if not student:
            continue
        people.append(
            Person(
                student_id=student,
                name=_cell(row, "name"),
                lms_id=_cell(row, "lms_id"),
                email=_cell(row, "email", "email address"),
                id_number=_cell(row, "id_number", "id number"),
                sis_user_id=_cell(row, "sis_user_id", "sis user id"),
                sis_login_id=_cell(row, "sis_login_id", "sis login id"),
                section=_cell(row, "section"),
            )
        )
    return people


def _canvas_people(rows: list[dict]) -> list[Person]:
    people = []
    for row in rows:
        name = _cell(row, "student")
        canvas_id = _cell(row, "id")
        if not canvas_id or name.lower() in ("points possible", "student, test", "test student"):
            continue  # the Points Possible (or old Muted) row, and Canvas's test student
        sis_login, sis_user = _cell(row, "sis login id"), _cell(row, "sis user id")
        people.append(
            Person(
                student_id=sis_login or sis_user or canvas_login_name(name) or canvas_id,
                name=name,
                lms_id=canvas_id,
                sis_user_id=sis_user,
                sis_login_id=sis_login,
                section=_cell(row, "section"),
            )
        )
    return people


def _moodle_people(rows: list[dict]) -> list[Person]:
    people = []
    for row in rows:
        first, last = _cell(row, "first name"), _cell(row, "last name", "surname")
        email, id_number = _cell(row, "email address", "email"), _cell(row, "id number")
        username = _cell(row, "username")
        student = id_number or username or email.partition("@")[0]
        if not student:
            continue
        people.append(
            Person(
                student_id=student,
                name=f"{first} {last}".strip(),
                lms_id=id_number or email,
                email=email,
                id_number=id_number,
                first_name=first,
                last_name=last,
            )
        )
    return people


def read_roster(path: Path) -> Roster:
    """The roster in ``path``, whichever of the three layouts it has."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        headers = [_normalise(h) for h in (reader.fieldnames or [])]
        rows = [
            {_normalise(k): (v or "") for k, v in row.items() if isinstance(k, str)}
            for row in reader
        ]
    if "student_id" in headers:
        return Roster(_course_people(rows), "course")
    if {"student", "id"} <= set(headers):
        assignments = {}
        for header in reader.fieldnames or []:
            found = CANVAS_ASSIGNMENT.match(header.strip())
            if found:
                assignments[found["name"].lower()] = found["id"]
        return Roster(_canvas_people(rows), "canvas", assignments)
    if {"first name", "email address"} <= set(headers) or "id number" in headers:
        return Roster(_moodle_people(rows), "moodle")
    raise RosterError(
        f"{path.name}: not a roster this course understands; expected the columns "
        "student_id, lms_id (course roster), Student, ID, SIS User ID, SIS Login ID, Section "
        "(Canvas gradebook export) or First name, Last name, ID number, Email address "
        "(Moodle participants)"
    )


# ---- writing grade-import files ----


@dataclass(frozen=True)
class Item:
    """One grade column for the LMS: an assignment or the final mark."""

    key: str  # assignment name, or "final"
    title: str  # the name shown in the LMS
    points: float  # points possible
    canvas_id: str = ""


def canvas_header(item: Item) -> str:
    return f"{item.title} ({item.canvas_id})" if item.canvas_id else item.title


def _number(value) -> str:
    if value is None or value == "":
        return ""
    return f"{float(value):g}"


def _safe(value: str) -> str:
    # A leading formula character would make a spreadsheet run the text; names
    # come from the LMS, so they are written inert (as in the course's other CSVs).
    if value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def canvas_rows(
    people: list[Person], items: list[Item], grades: dict[str, dict[str, float | None]]
) -> list[list[str]]:
    rows = []
    for person in people:
        own = grades.get(person.student_id, {})
        rows.append(
            [
                _safe(person.name or person.student_id),
                person.lms_id,
                _safe(person.sis_user_id),
                _safe(person.sis_login_id),
                _safe(person.section),
                *[_number(own.get(item.key)) for item in items],
            ]
        )
    return rows


def write_canvas_import(
    path: Path,
    people: list[Person],
    items: list[Item],
    grades: dict[str, dict[str, float | None]],
    points_possible: bool = True,
) -> list[str]:
    """Write Canvas's gradebook import CSV; return warnings (people Canvas cannot match)."""
    warnings = [
        f"{person.student_id}: no Canvas ID, SIS User ID or SIS Login ID; Canvas cannot "
        "match this row"
        for person in people
        if not (person.lms_id or person.sis_user_id or person.sis_login_id)
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CANVAS_COLUMNS, *[canvas_header(item) for item in items]])
        if points_possible:
            writer.writerow(
                [CANVAS_POINTS_POSSIBLE, "", "", "", "", *[_number(i.points) for i in items]]
            )
        writer.writerows(canvas_rows(people, items, grades))
    return warnings


def moodle_identity(person: Person) -> tuple[str, str, str, str]:
    first, last = person.first_name, person.last_name
    if not (first or last) and person.name:
        if "," in person.name:
            last, _, first = (part.strip() for part in person.name.partition(","))
        else:
            first, _, last = person.name.rpartition(" ")
            first, last = (first, last) if first else (last, "")
    email = person.email or (person.lms_id if "@" in person.lms_id else "")
    id_number = person.id_number or ("" if "@" in person.lms_id else person.lms_id)
    return first, last, id_number, email


def moodle_identifier(people: list[Person]) -> str:
    """The column to map users by: e-mail unless more people have an ID number."""
    identities = [moodle_identity(person) for person in people]
    emails = sum(1 for identity in identities if identity[3])
    numbers = sum(1 for identity in identities if identity[2])
    return "ID number" if numbers > emails else "Email address"


def write_moodle_import(
    path: Path,
    people: list[Person],
    items: list[Item],
    grades: dict[str, dict[str, float | None]],
) -> list[str]:
    """Write Moodle's grade import CSV; return warnings.

    Moodle's importer (grade/import/csv/classes/load_data.php) gives a row with
    an empty user field the previous row's user, aborts the whole import on an
    unknown user, and imports an empty grade cell as "no grade". So every row
    written has the identifier column filled; people without it are left out and
    named in the warnings, as are columns with empty (pending) cells.
    """
    identifier = moodle_identifier(people)
    position = MOODLE_COLUMNS.index(identifier)
    warnings = [f"Moodle: on import map from '{identifier}' to {MOODLE_IDENTIFIERS[identifier]}"]
    empty_columns: list[str] = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*MOODLE_COLUMNS, *[item.title for item in items]])
        for person in people:
            identity = moodle_identity(person)
            if not identity[position]:
                warnings.append(
                    f"{person.student_id}: no {identifier}; left out of {path.name} "
                    "(Moodle would give the row to someone else or stop the import)"
                )
                continue
            own = grades.get(person.student_id, {})
            cells = [_number(own.get(item.key)) for item in items]
            empty_columns += [
                item.title for item, cell in zip(items, cells, strict=True) if not cell
            ]
            writer.writerow([*(_safe(part) for part in identity), *cells])
    if empty_columns:
        names = ", ".join(sorted(set(empty_columns)))
        warnings.append(
            f"Moodle: empty (pending) cells in {names}; Moodle imports an empty cell as "
            "'no grade', so set these columns to ignore on import until they are complete"
        )
    return warnings
