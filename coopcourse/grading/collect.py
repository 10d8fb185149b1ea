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
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from coopcourse.grading.settings import CourseSettings

MOODLE = re.compile(r"^(?P<name>[^/_]+)_(?P<user>\d+)_assignsubmission_[a-z]+_/?(?P<file>.+)$")
CANVAS = re.compile(r"^(?P<name>[a-z0-9-]+)(?:_LATE)?_(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$")
MAX_FILE_BYTES = 100 * 2**20


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


def _entries(source: Path):
    """Yield (relative name, bytes, timestamp) for every file in a folder or zip."""
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                name = _safe_parts(info.filename)
                if name is None or info.file_size > MAX_FILE_BYTES:
                    yield info.filename, None, None
                    continue
                stamp = datetime(*info.date_time, tzinfo=UTC)
                yield name, archive.read(info), stamp
    elif source.is_dir():
        for path in sorted(source.rglob("*")):
            if path.is_file():
                stamp = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
                yield path.relative_to(source).as_posix(), path.read_bytes(), stamp
    else:
        raise FileNotFoundError(f"{source} is neither a folder nor a zip file")


def collect(
    settings: CourseSettings, assignment: str, source: Path, roster_path: Path | None = None
) -> CollectReport:
    roster = read_roster(roster_path)
    report = CollectReport()
    unmatched_dir = settings.root / "downloads" / "unmatched" / assignment
    for relative, data, stamp in _entries(source):
        if data is None:
            report.skipped.append(f"{relative} (unsafe path or larger than 100 MB)")
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
