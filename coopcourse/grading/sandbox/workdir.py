"""Scratch folders in which grading kernels run, one per notebook run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

# Instructor-only files that never go into a kernel's folder.
PRIVATE_FILES = {"rubric.yaml", "exemplars.yaml", "hidden_checks.yaml"}


RUN_PREFIX = "coopcourse-run-"


def remove_tree(path: Path) -> None:
    """Delete ``path`` and everything under it; never raises.

    A learner's cell may leave thousands of nested folders behind, deeper than
    Python's recursion limit, which makes ``shutil.rmtree`` raise
    ``RecursionError`` whatever ``ignore_errors`` says. ``rm`` walks any depth.
    """
    if not os.path.lexists(path):
        return
    with suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            ["rm", "-rf", "--one-file-system", "--", str(path)],
            check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600,
        )
    if os.path.lexists(path):  # no rm on this system: the shallow cases still go
        with suppress(RecursionError):
            shutil.rmtree(path, ignore_errors=True)


def run_folder() -> Path:
    """The temporary folder of this grading run (shared by its worker processes).

    It is named after the process group, so the folders a killed run leaves
    behind can be recognised and removed by the next run.
    """
    folder = Path(tempfile.gettempdir()) / f"{RUN_PREFIX}{os.getpgrp()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def remove_run_folder() -> None:
    """Delete this run's temporary folder (at the end of a class run)."""
    remove_tree(Path(tempfile.gettempdir()) / f"{RUN_PREFIX}{os.getpgrp()}")


def remove_stale_run_folders() -> None:
    """Delete run folders whose process group no longer exists (a killed run)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{RUN_PREFIX}*"):
        group = folder.name[len(RUN_PREFIX) :]
        if not group.isdigit() or int(group) == os.getpgrp():
            continue
        try:
            os.killpg(int(group), 0)
        except ProcessLookupError:
            remove_tree(folder)
        except PermissionError:
            continue  # another user's live run


def make_workdir(source_folder: Path, scratch: Path | None = None) -> Path:
    """A new temporary folder holding the assignment's data files (no notebooks, no rubric)."""
    workdir = Path(tempfile.mkdtemp(prefix="grade-", dir=scratch or run_folder()))
    for path in source_folder.rglob("*"):
        relative = path.relative_to(source_folder)
        if (
            path.is_dir()
            or path.suffix == ".ipynb"
            or path.name in PRIVATE_FILES
            or any(part.startswith(".") for part in relative.parts)
        ):
            continue
        target = workdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return workdir


def remove_workdir(workdir: Path) -> None:
    remove_tree(workdir)


@contextmanager
def scratch_workdir(source_folder: Path) -> Iterator[Path]:
    """A work folder for one notebook run (see make_workdir), removed afterwards."""
    workdir = make_workdir(source_folder)
    try:
        yield workdir
    finally:
        remove_workdir(workdir)
