"""Scratch folders in which grading kernels run, one per notebook run."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

# Instructor-only files that never go into a kernel's folder.
PRIVATE_FILES = {"rubric.yaml"}


def make_workdir(source_folder: Path, scratch: Path | None = None) -> Path:
    """A new temporary folder holding the assignment's data files (no notebooks, no rubric)."""
    workdir = Path(tempfile.mkdtemp(prefix="coopcourse-grade-", dir=scratch))
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
    shutil.rmtree(workdir, ignore_errors=True)
