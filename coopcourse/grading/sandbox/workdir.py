"""Scratch folders in which grading kernels run, one per notebook run."""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
import stat
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


# The process that started this grading run, and a random part of its folder's
# name; forked workers inherit both, so they share the run's folder. (Not the
# process group: two runs started from one parent, as parallel test workers are,
# would share a group and a folder.) The process id tells a later run whether this
# one still runs; the random part keeps the name unguessable, so no other local
# user can make the folder first and stop the run.
_run_owner: tuple[int, str] | None = None

# Every process of a run holds a shared flock on this file in the run's folder for
# as long as it lives (the kernel drops a dead process's locks), so a folder is in
# use while any of them runs: the owner's forked workers too, after the owner died.
LOCK_NAME = ".alive"

# (pid, descriptor) of this process's lock. A forked worker inherits the owner's
# entry (and its descriptor, which it keeps open) and takes a lock of its own.
_held: tuple[int, int] | None = None


def _run_folder_path() -> Path:
    global _run_owner
    if _run_owner is None:
        _run_owner = (os.getpid(), secrets.token_hex(8))
    pid, token = _run_owner
    return Path(tempfile.gettempdir()) / f"{RUN_PREFIX}{pid}-{token}"


def _owner_of(folder: Path) -> int | None:
    """The process id in a run folder's name ("<prefix><pid>-<random>", or
    "<prefix><pid>" from older versions), or None if it is no run folder's name."""
    owner = folder.name[len(RUN_PREFIX) :].split("-", 1)[0]
    return int(owner) if owner.isdigit() else None


class RunFolderError(RuntimeError):
    """The grading run's temporary folder cannot be used safely."""


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.lstat(path))
    except FileNotFoundError:
        return False


def _is_own_regular_file(info: os.stat_result) -> bool:
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid()


def _is_private_folder(info: os.stat_result) -> bool:
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) == 0o700
    )


def _open_own_folder(folder: Path) -> int:
    """A descriptor of ``folder``, made if missing: a real folder of this user, mode 0700.

    The name has a random part, but should another local user have made it first
    (to read or plant files in it), the run stops with an error naming it. One of this
    user's own in another state (left by an earlier process with the same id) is
    removed and made again.
    """
    for _ in range(3):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            pass
        else:
            os.chmod(folder, 0o700)  # whatever the umask
        try:
            descriptor = os.open(
                folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
            )
        except FileNotFoundError:
            continue
        except OSError:  # a symlink or not a folder
            info = os.lstat(folder)
        else:
            info = os.fstat(descriptor)
            if _is_private_folder(info):
                return descriptor
            os.close(descriptor)
        if info.st_uid != os.getuid():
            break
        remove_tree(folder)
    raise RunFolderError(
        f"{folder}: the grading run's temporary folder already exists and is not a "
        "private folder (mode 0700) of this user; remove it, or set TMPDIR to a "
        "folder of your own"
    )


def _open_lock(folder: Path, directory: int) -> int:
    """The run's lock file in ``folder`` (open as ``directory``), made if missing."""
    lock = folder / LOCK_NAME
    try:
        descriptor = os.open(
            LOCK_NAME,
            os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
            0o600,
            dir_fd=directory,
        )
    except OSError as error:  # a symlink (never followed), a folder
        raise RunFolderError(
            f"{lock}: the grading run's lock file cannot be used ({error.strerror})"
        ) from None
    if not _is_own_regular_file(os.fstat(descriptor)):
        os.close(descriptor)
        raise RunFolderError(f"{lock}: the grading run's lock file is not a regular file")
    return descriptor


def _hold(folder: Path) -> None:
    """Make sure this process holds a lock on ``folder``'s lock file."""
    global _held
    lock = folder / LOCK_NAME
    if _held is not None and _held[0] == os.getpid():
        if _same_file(_held[1], lock):
            return
        os.close(_held[1])  # the folder was removed since: lock the new one
        _held = None
    while True:
        directory = _open_own_folder(folder)
        try:
            descriptor = _open_lock(folder, directory)
        finally:
            os.close(directory)
        fcntl.flock(descriptor, fcntl.LOCK_SH)
        # Another run may have removed the folder between open and flock.
        if _same_file(descriptor, lock):
            break
        os.close(descriptor)
    _held = (os.getpid(), descriptor)


def run_folder() -> Path:
    """The temporary folder of this grading run (shared by its worker processes).

    It is named after the process that started the run (and a random part), and
    every process that calls this holds a lock in it until it ends, so the folders a killed run
    leaves behind can be recognised and removed by the next run. Worker processes
    call it as they start. RunFolderError if the folder or its lock file is not
    this user's own (see ``_open_own_folder``).
    """
    folder = _run_folder_path()
    _hold(folder)
    return folder


def remove_run_folder() -> None:
    """Delete this run's temporary folder (at the end of a class run)."""
    global _held
    remove_tree(_run_folder_path())
    if _held is not None and _held[0] == os.getpid():
        os.close(_held[1])
        _held = None


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


def _remove_if_stale(folder: Path, owner: int) -> None:
    """Delete ``folder`` if no process of its run is alive.

    Its owner must be gone (it may not have locked its new folder yet) and no
    process may hold the lock: a worker outlives a killed owner. The exclusive
    lock is kept while deleting, so nobody can start using the folder meanwhile.

    Any local user can make a folder with a run folder's name, and put anything
    where the lock file would be: a FIFO (opening it would wait for a writer
    forever), a symlink, a folder. Only a real folder of this user holding no lock
    file or a regular lock file of this user is judged; anything else is skipped
    without waiting.
    """
    if _is_running(owner):
        return
    try:
        directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return  # gone, a symlink, not a folder, or not readable: not ours to judge
    try:
        if os.fstat(directory).st_uid != os.getuid():
            return
        try:
            descriptor = os.open(
                LOCK_NAME,
                os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                dir_fd=directory,
            )
        except FileNotFoundError:  # a folder from before locks, or never locked
            remove_tree(folder)
            return
        except OSError:
            return  # a symlink, or unreadable: not ours to judge
    finally:
        os.close(directory)
    try:
        if not _is_own_regular_file(os.fstat(descriptor)):
            return  # a FIFO, a device, a folder, another user's file
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pass  # a process of that run still runs
    else:
        remove_tree(folder)  # rm does not follow the folder were it now a symlink
    finally:
        os.close(descriptor)


def remove_stale_run_folders() -> None:
    """Delete run folders no process of whose run still runs (a killed run)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{RUN_PREFIX}*"):
        owner = _owner_of(folder)
        if owner is not None and folder != _run_folder_path():
            _remove_if_stale(folder, owner)


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
