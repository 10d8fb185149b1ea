"""Course settings for grading, read from the course's ``nbgrader_config.py``.

The same file configures nbgrader (and formgrader) and the course grader, so
both always agree on folders and the gradebook.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

CONFIG_NAME = "nbgrader_config.py"


@dataclass(frozen=True)
class Limits:
    """Resource limits applied to every grading kernel (see nbgrader_config.py)."""

    cell_timeout: float = 60.0
    cpu_seconds: int = 300
    memory_mb: int = 2048
    file_size_mb: int = 50
    open_files: int = 256
    extra_processes: int = 32
    output_limit_kb: int = 512
    filesystem_sandbox: bool = True
    network_sandbox: bool = True


@dataclass(frozen=True)
class CourseSettings:
    root: Path
    source: str = "solutions"
    release: str = "exercises"
    submitted: str = "submitted"
    autograded: str = "autograded"
    feedback: str = "feedback"
    export: str = "export"
    db_url: str = ""
    course_id: str = "coopcourse"
    workers: int = 0
    limits: Limits = field(default_factory=Limits)

    def folder(self, step: str, student: str, assignment: str) -> Path:
        return self.root / getattr(self, step) / student / assignment

    @property
    def source_dir(self) -> Path:
        return self.root / self.source

    @property
    def release_dir(self) -> Path:
        return self.root / self.release

    @property
    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


def find_course_root(start: Path | None = None) -> Path:
    """The nearest folder, from ``start`` upwards, that holds nbgrader_config.py."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise FileNotFoundError(
        f"no {CONFIG_NAME} in {here} or any parent folder; run inside the course "
        "folder or pass --course PATH"
    )


def load_settings(root: Path | None = None) -> CourseSettings:
    """Read the course settings from ``<root>/nbgrader_config.py``."""
    root = find_course_root(root)
    config = PyFileConfigLoader(CONFIG_NAME, path=str(root)).load_config()
    course = config.get("CourseDirectory", {})
    grader = config.get("CourseGrader", {})
    course_root = Path(course.get("root", str(root))).resolve()
    limit_names = Limits.__dataclass_fields__.keys()
    limits = Limits(**{name: grader[name] for name in limit_names if name in grader})
    return CourseSettings(
        root=course_root,
        source=course.get("source_directory", "solutions"),
        release=course.get("release_directory", "exercises"),
        submitted=course.get("submitted_directory", "submitted"),
        autograded=course.get("autograded_directory", "autograded"),
        feedback=course.get("feedback_directory", "feedback"),
        db_url=course.get("db_url", f"sqlite:///{course_root / 'gradebook.db'}"),
        course_id=course.get("course_id", "coopcourse"),
        workers=int(grader.get("workers", 0)),
        limits=limits,
    )
