"""Rosters from Canvas and Moodle, the course gradebook and the LMS grade-import files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from coopcourse.grading.classroom import course_gradebook as cg
from coopcourse.grading.classroom.lms import (
    CANVAS_COLUMNS,
    CANVAS_POINTS_POSSIBLE,
    MOODLE_COLUMNS,
    MOODLE_IDENTIFIERS,
    Item,
    Person,
    RosterError,
    read_roster,
    write_canvas_import,
    write_moodle_import,
)
from coopcourse.grading.settings import CourseSettings

CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,A1 The policy (101),"
    "A2 Labour response (102),Current Score,Final Score\n"
    "    Points Possible,,,,,10,20,(read only),(read only)\n"
    '"Doe, Jane",1234,U001,jdoe,Seminar 1,8,,80,40\n'
    '"Roe, Sam",5678,U002,sroe,Seminar 2,,,,\n'
    '"Student, Test",9999,,,Seminar 1,,,,\n'
)
MOODLE_PARTICIPANTS = (
    "First name,Last name,ID number,Email address,Roles,Groups\n"
    "Jane,Doe,S1234,jane.doe@example.ac.uk,Student,Seminar 1\n"
    "Sam,Roe,,sam.roe@example.ac.uk,Student,\n"
)
COURSE_ROSTER = "student_id,lms_id,name\njdoe,1234,Jane Doe\nsroe,5678,Sam Roe\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_canvas_gradebook_export_as_roster(tmp_path):
    roster = read_roster(_write(tmp_path, "canvas.csv", CANVAS_EXPORT))
    assert roster.layout == "canvas"
    assert [p.student_id for p in roster.people] == ["jdoe", "sroe"]  # no test student
    jane = roster.people[0]
    assert (jane.lms_id, jane.sis_user_id, jane.section) == ("1234", "U001", "Seminar 1")
    assert roster.canvas_assignments == {"a1 the policy": "101", "a2 labour response": "102"}
    mapping = roster.mapping()
    assert mapping["1234"] == mapping["doejane"] == mapping["jane doe"] == "jdoe"


def test_moodle_participants_as_roster(tmp_path):
    roster = read_roster(_write(tmp_path, "participants.csv", "\ufeff" + MOODLE_PARTICIPANTS))
    assert roster.layout == "moodle"
    assert [p.student_id for p in roster.people] == ["S1234", "sam.roe"]
    assert roster.people[1].lms_id == "sam.roe@example.ac.uk"
    assert roster.mapping()["sam roe"] == "sam.roe"


def test_course_roster_and_unknown_layouts(tmp_path):
    roster = read_roster(_write(tmp_path, "roster.csv", COURSE_ROSTER))
    assert roster.layout == "course" and roster.mapping()["5678"] == "sroe"
    with pytest.raises(RosterError, match="student_id"):
        read_roster(_write(tmp_path, "other.csv", "who,what\nx,y\n"))


def test_same_name_twice_is_not_guessed(tmp_path):
    text = "student_id,lms_id,name\na1,1,Jo Smith\na2,2,Jo Smith\n"
    mapping = read_roster(_write(tmp_path, "r.csv", text)).mapping()
    assert "jo smith" not in mapping and mapping["1"] == "a1"


ITEMS = [Item("a1_policy", "A1 The policy", 10, "101"), Item("a2_labour", "A2 Labour", 20)]
GRADES = {"jdoe": {"a1_policy": 8.0, "a2_labour": None}, "sroe": {"a1_policy": 0.0}}


def test_canvas_import_file_has_canvas_layout(tmp_path):
    roster = read_roster(_write(tmp_path, "canvas.csv", CANVAS_EXPORT))
    path = tmp_path / "canvas_import.csv"
    warnings = write_canvas_import(path, roster.people, ITEMS, GRADES)
    rows = _rows(path)
    # The documented layout: five identity columns, then "<name> (<id>)" per assignment
    # (no id: Canvas creates the assignment), then the optional Points Possible row.
    assert rows[0] == [*CANVAS_COLUMNS, "A1 The policy (101)", "A2 Labour"]
    assert rows[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert rows[1] == [CANVAS_POINTS_POSSIBLE, "", "", "", "", "10", "20"]
    assert rows[2] == ["Doe, Jane", "1234", "U001", "jdoe", "Seminar 1", "8", ""]
    assert rows[3] == ["Roe, Sam", "5678", "U002", "sroe", "Seminar 2", "0", ""]
    assert not warnings
    # Canvas's own export and our file read the same way.
    again = read_roster(path)
    assert again.layout == "canvas" and again.canvas_assignments == {"a1 the policy": "101"}
    assert [p.lms_id for p in again.people] == ["1234", "5678"]


def test_canvas_import_without_points_row_and_unmatchable_people(tmp_path):
    path = tmp_path / "canvas_import.csv"
    warnings = write_canvas_import(path, [Person("ghost")], ITEMS, {}, points_possible=False)
    rows = _rows(path)
    assert len(rows) == 2 and rows[1][:2] == ["ghost", ""]
    assert warnings and "ghost" in warnings[0]


def test_moodle_import_file_has_moodle_layout(tmp_path):
    roster = read_roster(_write(tmp_path, "participants.csv", MOODLE_PARTICIPANTS))
    path = tmp_path / "moodle_import.csv"
    grades = {"S1234": {"a1_policy": 8.0}, "sam.roe": {"a1_policy": 9.5, "a2_labour": 20}}
    warnings = write_moodle_import(path, roster.people, ITEMS, grades)
    rows = _rows(path)
    assert rows[0] == [*MOODLE_COLUMNS, "A1 The policy", "A2 Labour"]
    assert rows[0][:4] == ["First name", "Last name", "ID number", "Email address"]
    assert set(MOODLE_IDENTIFIERS) <= set(rows[0])  # the columns mapped on import
    assert rows[1] == ["Jane", "Doe", "S1234", "jane.doe@example.ac.uk", "8", ""]
    assert rows[2] == ["Sam", "Roe", "", "sam.roe@example.ac.uk", "9.5", "20"]
    assert warnings[0] == "Moodle: on import map from 'Email address' to useremail"
    assert "A2 Labour" in warnings[1] and "no grade" in warnings[1]  # Jane's empty cell


def test_moodle_import_from_the_course_roster(tmp_path):
    people = [Person("jdoe", name="Jane Doe", lms_id="jane.doe@example.ac.uk"), Person("x")]
    path = tmp_path / "moodle_import.csv"
    warnings = write_moodle_import(path, people, ITEMS[:1], {"jdoe": {"a1_policy": 3}})
    # A row without the identifier is left out: Moodle would give it to the row before.
    assert _rows(path)[1:] == [["Jane", "Doe", "", "jane.doe@example.ac.uk", "3"]]
    assert len(warnings) == 2 and warnings[1].startswith("x: no Email address")


# ---- the course gradebook ----


def test_final_mark_weights_and_pending():
    maxima = {"a1": 10.0, "a2": 20.0}
    assert cg.final_mark({"a1": 8, "a2": 10}, maxima, {"a1": 1, "a2": 3}) == 57.5
    assert cg.final_mark({"a1": 8, "a2": 10}, maxima, {"a1": 1, "a2": 1}) == 65.0
    assert cg.final_mark({"a1": 8, "a2": None}, maxima, {"a1": 1, "a2": 1}) is None


def test_weights_file(tmp_path):
    path = _write(
        tmp_path,
        "weights.csv",
        "assignment,weight,title,canvas_id\na1,1,A1 The policy,101\na2,3,,\nfinal,,Final,300\n",
    )
    weights = cg.read_weights(path)
    assert [(w.assignment, w.weight) for w in weights] == [("a1", 1), ("a2", 3), ("final", 0)]
    with pytest.raises(cg.WeightsError, match="not a number"):
        cg.read_weights(_write(tmp_path, "bad.csv", "assignment,weight\na1,lots\n"))


class _Source:
    def __init__(self, name, max_score):
        self.name, self.max_score = name, max_score


ROWS = {  # assignment -> student -> (status, final_total, manual_pending)
    "a1": {"jdoe": ("graded", 8.0, ""), "sroe": ("graded", 6.0, "q3"), "kpoe": ("graded", 10, "")},
    "a2": {
        "jdoe": ("graded", 10.0, ""),
        "sroe": ("graded", 20.0, ""),
        "kpoe": ("not submitted", 0, ""),
    },
}


@pytest.fixture
def course(tmp_path, monkeypatch):
    settings = CourseSettings(root=tmp_path / "course")
    for name in ("a1", "a2"):
        (settings.source_dir / name).mkdir(parents=True)
        (settings.source_dir / name / f"{name}.ipynb").write_text("{}")
    (settings.root / "submitted" / "kpoe" / "a1").mkdir(parents=True)  # not on any roster
    maxima = {"a1": 10.0, "a2": 20.0}
    monkeypatch.setattr(
        "coopcourse.grading.pipeline.source.load_assignment",
        lambda _dir, name, _release=None: _Source(name, maxima[name]),
    )

    def rows(_settings, source, students, rules=None):
        table = ROWS[source.name]
        return [
            {
                "student_id": s,
                "status": table[s][0],
                "final_total": table[s][1],
                "manual_pending": table[s][2],
            }
            if s in table
            else {
                "student_id": s,
                "status": "not submitted",
                "final_total": 0,
                "manual_pending": "",
            }
            for s in students
        ]

    monkeypatch.setattr(cg, "student_rows", rows)
    return settings


def test_course_gradebook_with_a_canvas_roster(course, tmp_path):
    roster = _write(tmp_path, "canvas.csv", CANVAS_EXPORT)
    weights = _write(
        tmp_path, "w.csv", "assignment,weight,title\na1,1,A1 The policy\na2,3,A2 Labour response\n"
    )
    book = cg.course_gradebook(course, weights, roster)
    export = course.root / "export"
    assert sorted(p.name for p in book.files) == [
        "canvas_import.csv",
        "course_gradebook.csv",
        "course_weights.csv",
    ]  # the roster came from Canvas, so the Canvas file only
    table = {
        row["student_id"]: row
        for row in csv.DictReader((export / "course_gradebook.csv").open(encoding="utf-8"))
    }
    assert table["jdoe"]["final_mark"] == "57.5"  # (1 * 8/10 + 3 * 10/20) / 4
    assert (table["sroe"]["a1"], table["sroe"]["final_mark"]) == ("pending", "pending")
    assert table["kpoe"]["a2"] == "0"  # on no roster, but submitted a1; nothing for a2
    rows = _rows(export / "canvas_import.csv")
    assert rows[0] == [*CANVAS_COLUMNS, "A1 The policy (101)", "A2 Labour response (102)"]
    assert rows[1] == [CANVAS_POINTS_POSSIBLE, "", "", "", "", "10", "20"]
    assert rows[2][:2] == ["Doe, Jane", "1234"] and rows[2][5:] == ["8", "10"]
    assert rows[3][5:] == ["", "20"]  # pending stays empty: Canvas changes nothing
    assert any("kpoe" in warning for warning in book.warnings)  # no Canvas id to match


def test_course_gradebook_equal_weights_final_column_and_moodle(course, tmp_path):
    roster = _write(tmp_path, "participants.csv", MOODLE_PARTICIPANTS.replace("S1234", "jdoe"))
    weights = _write(
        tmp_path, "w.csv", "assignment,weight,title\na1,1,\na2,1,\nfinal,,Course mark\n"
    )
    book = cg.course_gradebook(course, weights, roster, lms="moodle")
    rows = _rows(course.root / "export" / "moodle_import.csv")
    assert rows[0] == [*MOODLE_COLUMNS, "a1", "a2", "Course mark"]
    jane = next(row for row in rows if row[2] == "jdoe")
    assert jane[4:] == ["8", "10", "65"]  # (8/10 + 10/20) / 2
    assert book.weights == {"a1": 1, "a2": 1}
    default = cg.build(course)  # no weights file: every assignment in solutions/, equally
    assert default.weights == {"a1": 1.0, "a2": 1.0}
