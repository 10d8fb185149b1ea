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


# The process that started this grading run; forked workers inherit it, so they
# share the run's folder. (Not the process group: two runs started from one
# parent, as parallel test workers are, would share a group and a folder.)
_run_owner: int | None = None


def _run_folder_path() -> Path:
    global _run_owner
    if _run_owner is None:
        _run_owner = os.getpid()
    return Path(tempfile.gettempdir()) / f"{RUN_PREFIX}{_run_owner}"


def run_folder() -> Path:
    """The temporary folder of this grading run (shared by its worker processes).

    It is named after the process that started the run, so the folders a killed
    run leaves behind can be recognised and removed by the next run.
    """
    folder = _run_folder_path()
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def remove_run_folder() -> None:
    """Delete this run's temporary folder (at the end of a class run)."""
    remove_tree(_run_folder_path())


def _is_running(pid: int) -> bool:
    """Whether process ``pid`` is still running.

    A killed run's process can linger as a zombie until it is reaped, and
    ``kill(pid, 0)`` counts that; /proc tells the running from the dead.
    """
    try:
        # "pid (name) state ...": the name may hold spaces and brackets.
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except (OSError, IndexError):  # no /proc here: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # another user's live run
        return True
    return state not in ("Z", "X")


def remove_stale_run_folders() -> None:
    """Delete run folders whose run no longer runs (a killed run)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{RUN_PREFIX}*"):
        owner = folder.name[len(RUN_PREFIX) :]
        if owner.isdigit() and folder != _run_folder_path() and not _is_running(int(owner)):
            remove_tree(folder)


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
