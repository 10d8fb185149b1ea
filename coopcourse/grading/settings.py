"""Course settings for grading, read from the course's ``nbgrader_config.py``.

The same file configures nbgrader (and formgrader) and the course grader, so
both always agree on folders and the gradebook.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from traitlets import Bool, Dict, Enum, Float, Int, TraitError, Unicode
from traitlets.config import Configurable
from traitlets.config.loader import PyFileConfigLoader

from coopcourse.grading.classroom.late import (
    DEFAULT_TIME_ZONE,
    METHODS,
    UNITS,
    LateConfigError,
    LatePolicy,
    LateRules,
)
from coopcourse.grading.sandbox.limits import Limits

CONFIG_NAME = "nbgrader_config.py"


class ConfigError(ValueError):
    """A ``c.CourseGrader`` setting is unknown or has the wrong type."""


class CourseGrader(Configurable):
    """Declared settings of the course grader (``c.CourseGrader.*`` in nbgrader_config.py)."""

    cell_timeout = Float(60.0, help="wall-clock seconds per cell").tag(config=True)
    submission_seconds = Float(
        900.0, help="wall-clock seconds for a whole submission, then it is stopped"
    ).tag(config=True)
    cpu_seconds = Int(300, help="CPU seconds of the kernel (RLIMIT_CPU)").tag(config=True)
    memory_mb = Int(2048, help="address space of the kernel (RLIMIT_AS)").tag(config=True)
    file_size_mb = Int(50, help="largest file the kernel may write").tag(config=True)
    open_files = Int(256, help="open file descriptors of the kernel").tag(config=True)
    extra_processes = Int(32, help="processes and threads of the kernel").tag(config=True)
    output_limit_kb = Int(512, help="outputs kept per cell").tag(config=True)
    filesystem_sandbox = Bool(True, help="Landlock file-system confinement").tag(config=True)
    network_sandbox = Bool(True, help="Landlock TCP confinement").tag(config=True)
    sandbox = Bool(True, help="run every kernel in a bubblewrap sandbox").tag(config=True)
    workers = Int(0, help="parallel workers; 0 = one more than the CPU cores").tag(config=True)
    # Late work (see coopcourse/grading/classroom/late.py and the instructor guide).
    time_zone = Unicode(
        DEFAULT_TIME_ZONE, help="time zone of due dates and of LMS zip entry times"
    ).tag(config=True)
    due_dates = Dict(
        value_trait=Unicode(),
        help="assignment -> due date in the course's time zone, e.g. '2026-03-28 23:59'",
    ).tag(config=True)
    late_penalty = Enum(METHODS, "none", help="none, zero, per_hour or per_day").tag(config=True)
    late_deduction = Float(0.0, help="taken off per started hour or day late").tag(config=True)
    late_unit = Enum(
        UNITS, "share", help="deduction and cap as a share of the points, or as points"
    ).tag(config=True)
    late_cap = Float(None, allow_none=True, help="largest deduction (None: no cap)").tag(
        config=True
    )
    late_grace_minutes = Float(0.0, help="lateness forgiven, in minutes").tag(config=True)


def grader_settings(config) -> CourseGrader:
    """Validate ``config.CourseGrader``; raise ConfigError naming any bad setting."""
    section = config.get("CourseGrader", {})
    known = set(CourseGrader.class_trait_names(config=True))
    unknown = sorted(name for name in section if name not in known)
    if unknown:
        raise ConfigError(
            f"unknown setting c.CourseGrader.{unknown[0]} in {CONFIG_NAME}; "
            f"known settings: {', '.join(sorted(known))}"
        )
    grader = CourseGrader()
    for name in sorted(section):
        try:
            setattr(grader, name, section[name])
        except TraitError as error:
            raise ConfigError(
                f"c.CourseGrader.{name} = {section[name]!r} in {CONFIG_NAME} is not valid: "
                f"{str(error).splitlines()[0]}"
            ) from None
    return grader


def late_rules(grader: CourseGrader) -> LateRules:
    """The late-work rules declared in ``c.CourseGrader``; ConfigError if unusable."""
    try:
        policy = LatePolicy(
            grader.late_penalty,
            grader.late_deduction,
            grader.late_unit,
            grader.late_cap,
            grader.late_grace_minutes,
        )
        return LateRules(policy, dict(grader.due_dates), grader.time_zone)
    except LateConfigError as error:
        raise ConfigError(f"late-work settings in {CONFIG_NAME}: {error}") from None


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
    late: LateRules = field(default_factory=LateRules)

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
        # One worker more than cores: a kernel start (mostly imports) and the
        # waits on a kernel's replies leave a core idle about a fifth of the time.
        return self.workers if self.workers > 0 else (os.cpu_count() or 1) + 1


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
    grader = grader_settings(config)
    course_root = Path(course.get("root", str(root))).resolve()
    limits = Limits(**{name: getattr(grader, name) for name in Limits.__dataclass_fields__})
    return CourseSettings(
        root=course_root,
        source=course.get("source_directory", "solutions"),
        release=course.get("release_directory", "exercises"),
        submitted=course.get("submitted_directory", "submitted"),
        autograded=course.get("autograded_directory", "autograded"),
        feedback=course.get("feedback_directory", "feedback"),
        db_url=course.get("db_url", f"sqlite:///{course_root / 'gradebook.db'}"),
        course_id=course.get("course_id", "coopcourse"),
        workers=grader.workers,
        limits=limits,
        late=late_rules(grader),
    )
