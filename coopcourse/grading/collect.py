"""Bring submissions into ``submitted/<student>/<assignment>/`` from a folder or an LMS zip.

Understands three layouts:

- a folder per student: ``<student>/<notebook>.ipynb`` or ``<student>/<assignment>/...``;
- Moodle downloads: ``Jane Doe_1234_assignsubmission_file_/<file>`` (or flattened
  ``Jane Doe_1234_assignsubmission_file_<file>``);
- Canvas downloads: ``doejane_1234_5678_<file>`` (``_LATE`` allowed after the name).

With a roster CSV (columns ``student_id`` and ``lms_id``; optional ``name``) LMS
user ids or names map to course student ids; without one the LMS name becomes the
id. Files are copied byte for byte. A file that cannot be matched to a student is
never dropped: it is copied to ``downloads/unmatched/<assignment>/`` and listed.
"""

from __future__ import annotations

import csv
import os
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from coopcourse.grading.settings import CourseSettings

MOODLE = re.compile(r"^(?P<name>[^/_]+)_(?P<user>\d+)_assignsubmission_[a-z]+_/?(?P<file>.+)$")
CANVAS = re.compile(r"^(?P<name>[a-z0-9-]+)(?:_LATE)?_(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$")


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

    def lines(self) -> list[str]:
        out = [
            f"collected {sum(map(len, self.copied.values()))} files for {len(self.copied)} students"
        ]
        out += [
            f"  {student}: {', '.join(files)}" for student, files in sorted(self.copied.items())
        ]
        if self.unmatched:
            out.append(
                f"NOT MATCHED to a student ({len(self.unmatched)}), kept in downloads/unmatched:"
            )
            out += [f"  {name}" for name in self.unmatched]
        if self.skipped:
            out.append("skipped:")
            out += [f"  {name}" for name in self.skipped]
        return out


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return text or "unnamed"


def read_roster(path: Path | None) -> dict[str, str]:
    """LMS id or name (lower case) -> course student id."""
    if path is None:
        return {}
    mapping = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            student = (row.get("student_id") or "").strip()
            if not student:
                continue
            for key in ("lms_id", "name"):
                if (row.get(key) or "").strip():
                    mapping[row[key].strip().lower()] = student
    return mapping


def match(relative: str, roster: dict[str, str]) -> tuple[str | None, str]:
    """(student id or None, file name inside the submission) for an entry path."""
    for pattern in (MOODLE, CANVAS):
        found = pattern.match(relative)
        if found:
            user, name = found["user"], found["name"]
            file_name = Path(found["file"]).name
            if roster:
                return roster.get(user) or roster.get(name.lower()), file_name
            return slug(name), file_name
    parts = Path(relative).parts
    if len(parts) >= 2:
        student = parts[0]
        if roster:
            student = roster.get(student.lower(), student if student in roster.values() else None)
        return student, parts[-1]
    return None, relative


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


def _zip_entries(source: Path, limits: CollectLimits):
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
            yield Entry(name, data, datetime(*info.date_time, tzinfo=UTC))


def _folder_entries(source: Path, limits: CollectLimits):
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
            stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
            yield Entry(relative, path.read_bytes(), stamp)


def _entries(source: Path, limits: CollectLimits):
    """Every file in a folder or zip, as :class:`Entry` objects, in a stable order."""
    if source.is_file() and zipfile.is_zipfile(source):
        yield from _zip_entries(source, limits)
    elif source.is_dir():
        yield from _folder_entries(source, limits)
    elif source.is_file():
        raise ValueError(f"{source} is not a readable zip file")
    else:
        raise FileNotFoundError(f"{source} is neither a folder nor a zip file")


def collect(
    settings: CourseSettings,
    assignment: str,
    source: Path,
    roster_path: Path | None = None,
    limits: CollectLimits = CollectLimits(),  # noqa: B008 (frozen, so sharing it is safe)
) -> CollectReport:
    roster = read_roster(roster_path)
    report = CollectReport()
    unmatched_dir = settings.root / "downloads" / "unmatched" / assignment
    for entry in _entries(source, limits):
        relative, data, stamp = entry.name, entry.data, entry.stamp
        if entry.problem is not None:
            report.skipped.append(f"{relative} ({entry.problem})")
            continue
        if any(part.startswith(".") or part == "__MACOSX" for part in Path(relative).parts):
            report.skipped.append(f"{relative} (hidden or system file)")
            continue
        student, file_name = match(relative, roster)
        if student is None or student.startswith("."):
            unmatched_dir.mkdir(parents=True, exist_ok=True)
            (unmatched_dir / slug(relative)).write_bytes(data)
            report.unmatched.append(relative)
            continue
        folder = settings.folder("submitted", student, assignment)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / file_name).write_bytes(data)
        if stamp is not None:
            text = stamp.strftime("%Y-%m-%d %H:%M:%S.%f %Z")
            (folder / "timestamp.txt").write_text(text, encoding="utf-8")
        report.copied.setdefault(student, []).append(file_name)
    return report
