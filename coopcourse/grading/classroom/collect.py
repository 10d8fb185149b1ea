"""Bring submissions into ``submitted/<student>/<assignment>/`` from a folder or an LMS zip.

Understands three layouts (also inside one extra top folder, as an unpacked zip has):

- a folder per student: ``<student>/<notebook>.ipynb`` or ``<student>/<assignment>/...``;
- Moodle downloads: ``Jane Doe_1234_assignsubmission_file_/<file>`` (files in
  sub-folders too), or flattened ``Jane Doe_1234_assignsubmission_file_<file>``;
- Canvas bulk downloads: ``doejane_1234_5678_<file>``, ``doejane_LATE_1234_5678_<file>``
  (Canvas marks late work), resubmissions named ``<file>-1.ipynb``, ``-2`` ...

With a roster (the course's CSV, a Canvas gradebook export or a Moodle participants
download, see :mod:`coopcourse.grading.classroom.lms`) LMS user ids or names map to course
student ids; without one the LMS name becomes the id. Files are copied byte for
byte. A file that cannot be matched to a student is never dropped: it is copied to
``downloads/unmatched/<assignment>/`` and listed.

Several files from one student: the newest notebook (any case of ``.ipynb``) is
stored under the assignment's expected name, so it is graded whatever it was
called; the other files are kept beside it under their own names and reported.
The submission's time is that notebook's zip entry time (a naive local time, read
in the course's time zone) or its file's mtime, written to ``timestamp.txt`` in
the form nbgrader reads; a ``timestamp.txt`` inside a download is kept as
``timestamp (submitted).txt`` and never sets the time.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from coopcourse.grading.classroom.late import (
    DEFAULT_TIME_ZONE,
    format_timestamp,
    from_epoch,
    local_time,
)
from coopcourse.grading.classroom.lms import read_roster as read_lms_roster
from coopcourse.grading.classroom.lms import slug
from coopcourse.grading.settings import CourseSettings

MOODLE = re.compile(
    r"^(?P<name>[^/_]+)_(?P<user>\d+)_assignsubmission_(?P<type>[a-z]+)_/?(?P<file>.+)$"
)
CANVAS = re.compile(
    r"^(?P<name>[^\W_](?:[^\W_]|-)*)(?P<late>_LATE)?_(?P<user>\d+)_(?:(?P<sub>\d+)_)?"
    r"(?P<file>[^/]+)$"
)
# Canvas renames a resubmitted file "name-1.ipynb", "name-2.ipynb"; Windows "name (1)".
RESUBMISSION = re.compile(r"^(?P<stem>.*?)(?:-(?P<dash>\d+)| \((?P<paren>\d+)\))$")
STAMP_NAME = "timestamp.txt"


@dataclass(frozen=True)
class CollectLimits:
    """Caps on what one collection may unpack, so a zip bomb cannot fill the disk."""

    max_file_bytes: int = 100 * 2**20
    max_total_bytes: int = 2 * 2**30
    max_entries: int = 20_000


@dataclass
class CollectReport:
    copied: dict[str, list[str]] = field(default_factory=dict)  # student -> files
    unmatched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # renamed notebooks, files kept beside
    marked_late: list[str] = field(default_factory=list)  # students the LMS marked late

    def lines(self) -> list[str]:
        out = [
            f"collected {sum(map(len, self.copied.values()))} files for {len(self.copied)} students"
        ]
        out += [
            f"  {student}: {', '.join(files)}" for student, files in sorted(self.copied.items())
        ]
        if self.notes:
            out.append("renamed or kept beside the graded notebook:")
            out += [f"  {note}" for note in self.notes]
        if self.marked_late:
            out.append(
                "marked late by the LMS (the penalty uses the due date in nbgrader_config.py): "
                + ", ".join(sorted(self.marked_late))
            )
        if self.unmatched:
            out.append(
                f"NOT MATCHED to a student ({len(self.unmatched)}), kept in downloads/unmatched:"
            )
            out += [f"  {name}" for name in self.unmatched]
        if self.skipped:
            out.append("skipped:")
            out += [f"  {name}" for name in self.skipped]
        return out


def read_roster(path: Path | None) -> dict[str, str]:
    """LMS id, e-mail or name (lower case) -> course student id, from any roster layout."""
    if path is None:
        return {}
    return read_lms_roster(path).mapping()


@dataclass(frozen=True)
class Found:
    """Who an entry belongs to and what the LMS says about it."""

    student: str | None
    file_name: str
    lms: str = ""  # "moodle", "canvas" or "" (a folder per student)
    marked_late: bool = False
    attachment: int = 0  # Canvas's file id: a later upload has a larger one


def _lms_match(relative: str, roster: dict[str, str]) -> Found | None:
    for lms, pattern in (("moodle", MOODLE), ("canvas", CANVAS)):
        found = pattern.match(relative)
        if found:
            user, name = found["user"], found["name"]
            file_name = Path(found["file"]).name
            late = lms == "canvas" and bool(found["late"])
            attachment = int(found["sub"] or 0) if lms == "canvas" else 0
            student = (roster.get(user) or roster.get(name.lower())) if roster else slug(name)
            return Found(student, file_name, lms, late, attachment)
    return None


def identify(relative: str, roster: dict[str, str]) -> Found:
    """The student and file name of an entry path (an LMS name may sit in a top folder)."""
    parts = Path(relative).parts
    for start in range(len(parts)):
        found = _lms_match("/".join(parts[start:]), roster)
        if found is not None:
            return found
    if len(parts) >= 2:
        student = parts[0]
        if roster:
            student = roster.get(student.lower(), student if student in roster.values() else None)
        return Found(student, parts[-1])
    return Found(None, relative)


def match(relative: str, roster: dict[str, str]) -> tuple[str | None, str]:
    """(student id or None, file name inside the submission) for an entry path."""
    found = identify(relative, roster)
    return found.student, found.file_name


def is_notebook(name: str) -> bool:
    return name.lower().endswith(".ipynb")


def resubmission_number(name: str) -> int:
    found = RESUBMISSION.match(Path(name).stem)
    if not found:
        return 0
    return int(found["dash"] or found["paren"])


def expected_notebook(settings: CourseSettings, assignment: str) -> str:
    """The file name the grader looks for: the source notebook's name, else ``<a>.ipynb``."""
    folder = settings.source_dir / assignment
    names = sorted(p.name for p in folder.glob("*.ipynb")) if folder.is_dir() else []
    if f"{assignment}.ipynb" in names or len(names) != 1:
        return f"{assignment}.ipynb"
    return names[0]


def _safe_parts(name: str) -> str | None:
    parts = [part for part in Path(name).parts if part not in ("", ".", "/")]
    if not parts or any(part == ".." for part in parts):
        return None
    return "/".join(parts)


@dataclass(frozen=True)
class Entry:
    """One file found in a download: its bytes, or the reason it was not read."""

    name: str
    data: bytes | None = None
    stamp: datetime | None = None
    problem: str | None = None


# What reading one broken or lying entry can raise; the rest of the zip is still read.
DAMAGED_ENTRY = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError)


def _zip_is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes | None:
    """The entry's bytes, or None if it inflates past ``cap`` whatever its header claims."""
    with archive.open(info) as stream:
        data = stream.read(cap + 1)
    return None if len(data) > cap else data


def _zip_entries(source: Path, limits: CollectLimits, time_zone: str = DEFAULT_TIME_ZONE):
    total = 0
    with zipfile.ZipFile(source) as archive:
        for count, info in enumerate(archive.infolist(), start=1):
            if info.is_dir():
                continue
            if count > limits.max_entries:
                yield Entry(
                    info.filename,
                    problem=f"more than {limits.max_entries} entries; the rest were not read",
                )
                return
            name = _safe_parts(info.filename)
            if name is None:
                yield Entry(info.filename, problem="unsafe path")
                continue
            if _zip_is_symlink(info):
                yield Entry(name, problem="a symbolic link, not a file")
                continue
            cap = min(limits.max_file_bytes, limits.max_total_bytes - total)
            try:
                data = _read_capped(archive, info, cap)
            except DAMAGED_ENTRY as error:
                yield Entry(name, problem=f"damaged zip entry ({error})")
                continue
            if data is None:
                yield Entry(name, problem=f"inflates past {cap:,} bytes (file or total cap)")
                continue
            total += len(data)
            # Zip times are naive local times: read them in the course's time zone.
            yield Entry(name, data, local_time(datetime(*info.date_time), time_zone))


def _folder_entries(source: Path, limits: CollectLimits, time_zone: str = DEFAULT_TIME_ZONE):
    total = 0
    # os.walk does not descend into linked folders; linked files are reported, never read.
    for folder, subfolders, files in os.walk(source):
        subfolders.sort()
        here = Path(folder)
        for name in sorted(files) + sorted(d for d in subfolders if (here / d).is_symlink()):
            path = here / name
            relative = path.relative_to(source).as_posix()
            if path.is_symlink():
                yield Entry(relative, problem="a symbolic link, not a file")
                continue
            size = path.stat().st_size
            if size > min(limits.max_file_bytes, limits.max_total_bytes - total):
                yield Entry(relative, problem=f"{size:,} bytes is over the file or total cap")
                continue
            total += size
            stamp = from_epoch(path.stat().st_mtime, time_zone)
            yield Entry(relative, path.read_bytes(), stamp)


def _entries(source: Path, limits: CollectLimits, time_zone: str = DEFAULT_TIME_ZONE):
    """Every file in a folder or zip, as :class:`Entry` objects, in a stable order."""
    if source.is_file() and zipfile.is_zipfile(source):
        yield from _zip_entries(source, limits, time_zone)
    elif source.is_dir():
        yield from _folder_entries(source, limits, time_zone)
    elif source.is_file():
        raise ValueError(f"{source} is not a readable zip file")
    else:
        raise FileNotFoundError(f"{source} is neither a folder nor a zip file")


@dataclass
class _Stored:
    name: str
    stamp: datetime | None
    found: Found


def _free_name(folder: Path, name: str, taken: set[str]) -> str:
    """``name``, or ``stem (2).ext`` ... if this collection already wrote that name."""
    if name not in taken:
        return name
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 2
    while f"{stem} ({number}){suffix}" in taken or (folder / f"{stem} ({number}){suffix}").exists():
        number += 1
    return f"{stem} ({number}){suffix}"


def _newest_first(item: _Stored, expected: str) -> tuple:
    named_right = Path(RESUBMISSION.sub(r"\g<stem>", Path(item.name).stem)).name.lower()
    return (
        item.stamp.timestamp() if item.stamp else float("-inf"),
        named_right == Path(expected).stem.lower(),
        item.found.attachment,
        resubmission_number(item.name),
    )


def _settle(folder: Path, student: str, stored: list[_Stored], expected: str, report) -> None:
    """Put the newest notebook under the expected name; write timestamp.txt; report."""
    notebooks = [item for item in stored if is_notebook(item.name)]
    chosen = max(notebooks, key=lambda item: _newest_first(item, expected)) if notebooks else None
    written = {item.name for item in stored}
    if chosen is not None and chosen.name != expected:
        if expected in written:  # an older notebook of this collection has the name
            older = _free_name(folder, f"{Path(expected).stem} (older).ipynb", written)
            (folder / expected).replace(folder / older)
            written.add(older)
            for item in stored:
                if item.name == expected:
                    item.name = older
        (folder / chosen.name).replace(folder / expected)
        report.notes.append(f"{student}: {chosen.name} graded as {expected}")
        chosen.name = expected
    others = sorted(item.name for item in stored if item is not chosen)
    if others and chosen is not None:
        count = len(notebooks)
        which = f"the newest of {count} notebooks" if count > 1 else "the notebook"
        kept = ", ".join(others)
        report.notes.append(f"{student}: {expected} is {which}; kept beside it: {kept}")
    report.copied[student] = [item.name for item in stored]
    timed = [item for item in stored if item.stamp is not None]
    stamp = chosen.stamp if chosen is not None and chosen.stamp else None
    if stamp is None and timed:
        stamp = max(item.stamp for item in timed)
    if stamp is not None:
        time_zone = str(getattr(stamp.tzinfo, "key", "") or DEFAULT_TIME_ZONE)
        (folder / STAMP_NAME).write_text(format_timestamp(stamp, time_zone), encoding="utf-8")


def collect(
    settings: CourseSettings,
    assignment: str,
    source: Path,
    roster_path: Path | None = None,
    limits: CollectLimits = CollectLimits(),  # noqa: B008 (frozen, so sharing it is safe)
    time_zone: str = DEFAULT_TIME_ZONE,
    notebook_name: str | None = None,
) -> CollectReport:
    """Copy ``source`` into ``submitted/``; ``notebook_name`` is the expected file name."""
    roster = read_roster(roster_path)
    report = CollectReport()
    expected = notebook_name or expected_notebook(settings, assignment)
    unmatched_dir = settings.root / "downloads" / "unmatched" / assignment
    stored: dict[str, list[_Stored]] = {}
    for entry in _entries(source, limits, time_zone):
        relative, data, stamp = entry.name, entry.data, entry.stamp
        if entry.problem is not None:
            report.skipped.append(f"{relative} ({entry.problem})")
            continue
        if any(part.startswith(".") or part == "__MACOSX" for part in Path(relative).parts):
            report.skipped.append(f"{relative} (hidden or system file)")
            continue
        found = identify(relative, roster)
        student = found.student
        if student is None or student.startswith(".") or not _safe_parts(student):
            unmatched_dir.mkdir(parents=True, exist_ok=True)
            (unmatched_dir / slug(relative)).write_bytes(data)
            report.unmatched.append(relative)
            continue
        folder = settings.folder("submitted", student, assignment)
        folder.mkdir(parents=True, exist_ok=True)
        own = stored.setdefault(student, [])
        file_name = found.file_name
        if file_name.lower() == STAMP_NAME:
            file_name = "timestamp (submitted).txt"  # a learner's file never sets the time
        file_name = _free_name(folder, file_name, {item.name for item in own} | {STAMP_NAME})
        (folder / file_name).write_bytes(data)
        own.append(_Stored(file_name, stamp, found))
        if found.marked_late and student not in report.marked_late:
            report.marked_late.append(student)
    for student, items in stored.items():
        folder = settings.folder("submitted", student, assignment)
        _settle(folder, student, items, expected, report)
    return report
