"""Collecting submissions from folders and LMS downloads; nothing unmatched is dropped."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from coopcourse.grading.collect import collect, match
from coopcourse.grading.settings import CourseSettings

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


@pytest.fixture
def settings(tmp_path) -> CourseSettings:
    return CourseSettings(root=tmp_path / "course")


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 1, 9, 30, 0)), data)
    return path


def test_moodle_zip_with_roster(settings, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,lms_id,name\nab123,1234,Jane Doe\ncd456,5678,Sam Roe\n")
    archive = _zip(
        tmp_path / "moodle.zip",
        {
            "Jane Doe_1234_assignsubmission_file_/a3_union_objections.ipynb": NOTEBOOK,
            "Sam Roe_5678_assignsubmission_file_a3_union_objections.ipynb": NOTEBOOK + b" ",
            "Kim Poe_9999_assignsubmission_file_/a3_union_objections.ipynb": b"late joiner",
        },
    )
    report = collect(settings, "a3_union_objections", archive, roster)
    submitted = settings.root / "submitted"
    assert (
        submitted / "ab123" / "a3_union_objections" / "a3_union_objections.ipynb"
    ).read_bytes() == NOTEBOOK
    assert (
        submitted / "cd456" / "a3_union_objections" / "a3_union_objections.ipynb"
    ).read_bytes() == NOTEBOOK + b" "
    stamp = (submitted / "ab123" / "a3_union_objections" / "timestamp.txt").read_text()
    assert stamp.startswith("2026-03-01 09:30:00")
    # Not in the roster: reported and kept, never dropped.
    assert report.unmatched == ["Kim Poe_9999_assignsubmission_file_/a3_union_objections.ipynb"]
    kept = list((settings.root / "downloads" / "unmatched" / "a3_union_objections").iterdir())
    assert [path.read_bytes() for path in kept] == [b"late joiner"]
    assert any("NOT MATCHED" in line for line in report.lines())


def test_canvas_zip_without_roster_uses_lms_names(settings, tmp_path):
    archive = _zip(
        tmp_path / "canvas.zip",
        {
            "doejane_1234_987_a3_union_objections.ipynb": NOTEBOOK,
            "roesam_LATE_5678_988_a3_union_objections-1.ipynb": NOTEBOOK,
            "readme.txt": b"from the LMS",
            "__MACOSX/._doejane": b"junk",
        },
    )
    report = collect(settings, "a3_union_objections", archive)
    assert sorted(report.copied) == ["doejane", "roesam"]
    assert report.copied["roesam"] == ["a3_union_objections-1.ipynb"]
    assert report.unmatched == ["readme.txt"]
    assert any("__MACOSX" in line for line in report.skipped)


def test_folder_per_student(settings, tmp_path):
    source = tmp_path / "inbox"
    (source / "ab123" / "a1_policy").mkdir(parents=True)
    (source / "ab123" / "a1_policy" / "a1_policy.ipynb").write_bytes(NOTEBOOK)
    (source / "cd456").mkdir()
    (source / "cd456" / "a1_policy.ipynb").write_bytes(NOTEBOOK)
    report = collect(settings, "a1_policy", source)
    assert sorted(report.copied) == ["ab123", "cd456"] and not report.unmatched
    for student in ("ab123", "cd456"):
        path = settings.root / "submitted" / student / "a1_policy" / "a1_policy.ipynb"
        assert path.read_bytes() == NOTEBOOK


def test_unsafe_zip_paths_are_not_written_outside(settings, tmp_path):
    archive = _zip(tmp_path / "evil.zip", {"../../escape.ipynb": NOTEBOOK})
    report = collect(settings, "a1_policy", archive)
    assert report.skipped and not (tmp_path / "escape.ipynb").exists()


def test_match_patterns():
    assert match("Jane Doe_12_assignsubmission_file_/x.ipynb", {}) == ("jane_doe", "x.ipynb")
    assert match("doejane_12_34_x.ipynb", {"12": "ab1"}) == ("ab1", "x.ipynb")
    assert match("loose.ipynb", {}) == (None, "loose.ipynb")
