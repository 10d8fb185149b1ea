"""Collecting submissions from folders and LMS downloads; nothing unmatched is dropped."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from coopcourse.grading.collect import CollectLimits, collect, match
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


# ---- hostile downloads: each is reported, the rest of the class still collected ----


def test_symlinks_in_a_folder_are_reported_never_followed(settings, tmp_path):
    secret = tmp_path / "solutions" / "a1_policy.ipynb"
    secret.parent.mkdir()
    secret.write_bytes(b'{"the": "model answers"}')
    source = tmp_path / "inbox"
    (source / "ab123").mkdir(parents=True)
    (source / "ab123" / "a1_policy.ipynb").symlink_to(secret)
    (source / "cd456").symlink_to(secret.parent, target_is_directory=True)
    (source / "ef789").mkdir()
    (source / "ef789" / "a1_policy.ipynb").write_bytes(NOTEBOOK)
    report = collect(settings, "a1_policy", source)
    assert sorted(report.copied) == ["ef789"]
    assert sorted(report.skipped) == [
        "ab123/a1_policy.ipynb (a symbolic link, not a file)",
        "cd456 (a symbolic link, not a file)",
    ]
    copied = [p for p in (settings.root / "submitted").rglob("*") if p.is_file()]
    assert all(b"model answers" not in p.read_bytes() for p in copied)


def test_symlink_entries_in_a_zip_are_reported(settings, tmp_path):
    path = tmp_path / "links.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("ab123/a1_policy.ipynb")
        link.external_attr = (0o120777 << 16)  # a symbolic link, as `zip --symlinks` stores it
        archive.writestr(link, "../../solutions/a1_policy/a1_policy.ipynb")
        archive.writestr("cd456/a1_policy.ipynb", NOTEBOOK)
    report = collect(settings, "a1_policy", path)
    assert sorted(report.copied) == ["cd456"]
    assert report.skipped == ["ab123/a1_policy.ipynb (a symbolic link, not a file)"]


def _zip_with_lying_size(path: Path) -> Path:
    """A zip whose first entry claims 100 bytes but inflates to 10,000."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ab123/a1_policy.ipynb", b"A" * 10_000)
        archive.writestr("cd456/a1_policy.ipynb", NOTEBOOK)
    data = path.read_bytes()
    true_size = (10_000).to_bytes(4, "little")
    assert data.count(true_size) == 2  # the local and the central header
    path.write_bytes(data.replace(true_size, (100).to_bytes(4, "little")))
    return path


def test_a_damaged_entry_is_reported_and_the_rest_collected(settings, tmp_path):
    report = collect(settings, "a1_policy", _zip_with_lying_size(tmp_path / "lying.zip"))
    assert sorted(report.copied) == ["cd456"]
    assert len(report.skipped) == 1 and report.skipped[0].startswith("ab123/a1_policy.ipynb")
    assert "damaged zip entry" in report.skipped[0]


def test_a_zip_bomb_stops_at_the_caps(settings, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ab123/a1_policy.ipynb", b"\0" * 5_000_000)  # 5 MB from ~5 KB
        for student in ("cd456", "ef789", "gh012"):
            archive.writestr(f"{student}/a1_policy.ipynb", b"x" * 400_000)
    assert path.stat().st_size < 50_000
    limits = CollectLimits(max_file_bytes=1_000_000, max_total_bytes=1_000_000, max_entries=10)
    report = collect(settings, "a1_policy", path, limits=limits)
    assert sorted(report.copied) == ["cd456", "ef789"]  # 800 KB of the 1 MB total
    assert [line.split(" ")[0] for line in report.skipped] == [
        "ab123/a1_policy.ipynb", "gh012/a1_policy.ipynb",
    ]
    written = sum(p.stat().st_size for p in settings.root.rglob("*") if p.is_file())
    assert written <= limits.max_total_bytes + 10_000  # timestamps add a few bytes


def test_too_many_entries_stop_with_a_report(settings, tmp_path):
    archive = _zip(tmp_path / "many.zip", {f"s{n}/a1_policy.ipynb": NOTEBOOK for n in range(5)})
    report = collect(settings, "a1_policy", archive, limits=CollectLimits(max_entries=3))
    assert sorted(report.copied) == ["s0", "s1", "s2"]
    assert "more than 3 entries" in report.skipped[-1]


def test_a_file_that_is_not_a_zip_is_a_clear_error(settings, tmp_path):
    fake = tmp_path / "download.zip"
    fake.write_bytes(b"this is not a zip")
    with pytest.raises(ValueError, match="not a readable zip"):
        collect(settings, "a1_policy", fake)
