"""Collecting submissions from folders and LMS downloads; nothing unmatched is dropped."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from coopcourse.grading.classroom.collect import CollectLimits, collect, match
from coopcourse.grading.classroom.late import parse_time
from coopcourse.grading.pipeline.intake import read_submission
from coopcourse.grading.settings import CourseSettings

NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
OLDER = b'{"cells": [], "metadata": {"v": 1}, "nbformat": 4, "nbformat_minor": 5}'
NEWER = b'{"cells": [], "metadata": {"v": 2}, "nbformat": 4, "nbformat_minor": 5}'


@pytest.fixture
def settings(tmp_path) -> CourseSettings:
    return CourseSettings(root=tmp_path / "course")


def _zip(path: Path, entries: dict[str, bytes], times: dict[str, tuple] | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            when = (times or {}).get(name, (2026, 3, 1, 9, 30, 0))
            archive.writestr(zipfile.ZipInfo(name, date_time=when), data)
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
    # Canvas's resubmission name is graded under the expected name.
    assert report.copied["roesam"] == ["a3_union_objections.ipynb"]
    assert "roesam: a3_union_objections-1.ipynb graded as a3_union_objections.ipynb" in (
        report.notes
    )
    assert report.marked_late == ["roesam"]
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


# ---- what LMSs really produce ----

A3 = "a3_union_objections"


def _folder(settings, student: str, assignment: str = A3) -> Path:
    return settings.root / "submitted" / student / assignment


def test_canvas_bulk_download_with_resubmissions_case_and_stray_files(settings, tmp_path):
    archive = _zip(
        tmp_path / "submissions.zip",
        {
            # several files from one student: two notebooks and a data file
            "doejane_1234_900_a3_union_objections.ipynb": OLDER,
            "doejane_LATE_1234_950_a3_union_objections-2.ipynb": NEWER,
            "doejane_1234_901_notes.csv": b"a,b\n",
            # an upper-case extension from Windows, under another name
            "roesam_5678_960_A3 Union Objections.IPYNB": NOTEBOOK,
            # a notebook beside a stray file (and no resubmission)
            "poekim_9012_970_a3_union_objections.ipynb": NOTEBOOK,
            "poekim_9012_971_.DS_Store.txt": b"junk",
        },
        times={
            "doejane_1234_900_a3_union_objections.ipynb": (2026, 3, 20, 10, 0, 0),
            "doejane_LATE_1234_950_a3_union_objections-2.ipynb": (2026, 3, 29, 0, 30, 0),
            "doejane_1234_901_notes.csv": (2026, 3, 20, 10, 0, 0),
        },
    )
    report = collect(settings, A3, archive)
    assert sorted(report.copied) == ["doejane", "poekim", "roesam"] and not report.unmatched
    jane = _folder(settings, "doejane")
    assert (jane / f"{A3}.ipynb").read_bytes() == NEWER  # the newest is graded
    assert (jane / f"{A3} (older).ipynb").read_bytes() == OLDER  # kept beside
    assert (jane / "notes.csv").read_bytes() == b"a,b\n"
    # The graded notebook's own (local) time is the submission's time.
    assert (jane / "timestamp.txt").read_text() == "2026-03-29 00:30:00.000000+00:00"
    assert report.marked_late == ["doejane"]
    assert any(
        note.startswith("doejane:") and "newest of 2 notebooks" in note for note in report.notes
    )
    assert (_folder(settings, "roesam") / f"{A3}.ipynb").read_bytes() == NOTEBOOK
    assert "roesam: A3 Union Objections.IPYNB graded as a3_union_objections.ipynb" in report.notes
    # Nobody scores zero because of a file name's case or a stray file beside the notebook.
    for student in ("doejane", "roesam", "poekim"):
        submitted = read_submission(_folder(settings, student), A3)
        assert submitted.path.name == f"{A3}.ipynb" and not submitted.problems


def test_canvas_resubmission_number_decides_when_times_are_equal(settings, tmp_path):
    archive = _zip(
        tmp_path / "submissions.zip",
        {
            "doejane_1234_500_a3_union_objections-1.ipynb": b"first",
            "doejane_1234_500_a3_union_objections-2.ipynb": b"second",
            "doejane_1234_500_a3_union_objections.ipynb": b"original",
        },
    )
    collect(settings, A3, archive)
    jane = _folder(settings, "doejane")
    assert (jane / f"{A3}.ipynb").read_bytes() == b"second"
    assert sorted(p.name for p in jane.iterdir()) == [
        f"{A3} (older).ipynb", f"{A3}-1.ipynb", f"{A3}.ipynb", "timestamp.txt",
    ]
    assert (jane / f"{A3} (older).ipynb").read_bytes() == b"original"


def test_moodle_folders_subfolders_online_text_and_an_unpacked_top_folder(settings, tmp_path):
    source = tmp_path / "A3 Union objections-42"  # what unpacking Moodle's zip gives
    files = {
        "Jane Doe_1234_assignsubmission_file_/work/a3_union_objections.ipynb": NOTEBOOK,
        "Jane Doe_1234_assignsubmission_file_/work/data.csv": b"x",
        "Jane Doe_1234_assignsubmission_onlinetext_/onlinetext.html": b"<p>see file</p>",
        "Sam Roe_5678_assignsubmission_file_/Copy of a3_union_objections.ipynb": NOTEBOOK,
    }
    for name, data in files.items():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        (source / name).write_bytes(data)
    report = collect(settings, A3, tmp_path / "A3 Union objections-42")
    # A folder per student would take "A3 Union objections-42" as the student: not so.
    assert sorted(report.copied) == ["jane_doe", "sam_roe"] and not report.unmatched
    jane = _folder(settings, "jane_doe")
    assert sorted(p.name for p in jane.iterdir()) == [
        f"{A3}.ipynb", "data.csv", "onlinetext.html", "timestamp.txt",
    ]
    assert (_folder(settings, "sam_roe") / f"{A3}.ipynb").read_bytes() == NOTEBOOK
    assert not read_submission(_folder(settings, "sam_roe"), A3).problems


def test_zip_times_are_london_time_in_summer(settings, tmp_path):
    archive = _zip(
        tmp_path / "moodle.zip",
        {"Jane Doe_1234_assignsubmission_file_/a3_union_objections.ipynb": NOTEBOOK},
        times={
            "Jane Doe_1234_assignsubmission_file_/a3_union_objections.ipynb": (
                2026, 7, 1, 10, 0, 0,
            )
        },
    )
    collect(settings, A3, archive)
    text = (_folder(settings, "jane_doe") / "timestamp.txt").read_text()
    assert text == "2026-07-01 10:00:00.000000+01:00"
    assert parse_time(text).utcoffset().total_seconds() == 3600  # BST: 09:00 UTC


def test_folder_mtimes_are_instants_shown_in_the_course_time_zone(settings, tmp_path):
    import os
    from datetime import UTC, datetime

    source = tmp_path / "inbox"
    (source / "ab123").mkdir(parents=True)
    notebook = source / "ab123" / "a1_policy.ipynb"
    notebook.write_bytes(NOTEBOOK)
    instant = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT, after the clocks went back
    os.utime(notebook, (instant.timestamp(), instant.timestamp()))
    collect(settings, "a1_policy", source)
    text = (_folder(settings, "ab123", "a1_policy") / "timestamp.txt").read_text()
    assert text == "2026-10-25 01:30:00.000000+00:00"  # the second 01:30 of the day
    assert parse_time(text) == instant


def test_a_submitted_timestamp_file_never_sets_the_time(settings, tmp_path):
    archive = _zip(
        tmp_path / "canvas.zip",
        {
            "doejane_1234_1_a3_union_objections.ipynb": NOTEBOOK,
            "doejane_1234_2_timestamp.txt": b"2000-01-01 00:00:00 UTC",
        },
    )
    collect(settings, A3, archive)
    jane = _folder(settings, "doejane")
    assert (jane / "timestamp.txt").read_text().startswith("2026-03-01 09:30:00")
    assert (jane / "timestamp (submitted).txt").read_bytes() == b"2000-01-01 00:00:00 UTC"


def test_rosters_exported_by_canvas_and_moodle_map_downloads(settings, tmp_path):
    canvas = tmp_path / "canvas_export.csv"
    canvas.write_text(
        "Student,ID,SIS User ID,SIS Login ID,Section,A3 Union objections (777)\n"
        "    Points Possible,,,,,10\n"
        '"Doe, Jane",1234,U001,jdoe,Seminar 1,\n'
        '"Student, Test",9999,,,,\n',
        encoding="utf-8",
    )
    report = collect(
        settings, A3, _zip(tmp_path / "c.zip", {"doejane_1234_5_a3.ipynb": NOTEBOOK}), canvas
    )
    assert sorted(report.copied) == ["jdoe"]  # the SIS Login ID is the course id

    moodle = tmp_path / "participants.csv"
    moodle.write_text(
        "First name,Last name,ID number,Email address,Roles\n"
        "Sam,Roe,S5678,sam.roe@example.ac.uk,Student\n",
        encoding="utf-8",
    )
    entry = "Sam Roe_31_assignsubmission_file_/a3_union_objections.ipynb"
    report = collect(settings, A3, _zip(tmp_path / "m.zip", {entry: NOTEBOOK}), moodle)
    assert sorted(report.copied) == ["S5678"]  # Moodle's number is per assignment; the name maps


def test_expected_name_follows_the_source_notebook(settings, tmp_path):
    (settings.root / "solutions" / "a9").mkdir(parents=True)
    (settings.root / "solutions" / "a9" / "capstone.ipynb").write_bytes(NOTEBOOK)
    archive = _zip(tmp_path / "c.zip", {"doejane_1_2_my work.ipynb": NOTEBOOK})
    collect(settings, "a9", archive)
    assert (_folder(settings, "doejane", "a9") / "capstone.ipynb").is_file()
