"""Run folders: removed once no process of their run is alive, and only then.

Each test starts small helper processes (no kernels) that play a grading run's
parent and its forked workers, in a temporary folder of their own.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from coopcourse.grading.sandbox import workdir

# A run's parent: takes its run folder, forks a pool worker as the runner does
# (the worker sleeps, as one grading a long notebook would), then waits.
RUN_WITH_A_WORKER = textwrap.dedent(
    """
    import concurrent.futures, multiprocessing, os, sys, time
    from coopcourse.grading.sandbox import workdir

    def grade():
        print("worker", os.getpid(), flush=True)
        time.sleep(120)

    folder = workdir.run_folder()
    pool = concurrent.futures.ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("fork"), initializer=workdir.run_folder
    )
    pool.submit(grade)
    print("folder", folder, flush=True)
    time.sleep(120)
    """
)

# A run's parent without workers: on each line of input it removes stale run folders.
RUN_THAT_CLEANS = textwrap.dedent(
    """
    import sys
    from coopcourse.grading.sandbox import workdir

    print("folder", workdir.run_folder(), flush=True)
    for _ in sys.stdin:
        workdir.remove_stale_run_folders()
        print("cleaned", flush=True)
    """
)


@pytest.fixture
def temp(tmp_path, monkeypatch) -> Path:
    """A temporary-files folder for this test and the processes it starts."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    return tmp_path


def _start(code: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _read(process: subprocess.Popen) -> dict[str, str]:
    """The next ``name value`` line the process printed."""
    line = process.stdout.readline()
    assert line, f"the helper process ended early (exit status {process.poll()})"
    name, _, value = line.strip().partition(" ")
    return {name: value}


def _read_all(process: subprocess.Popen, *names: str, most: int = 10) -> dict[str, str]:
    """Lines from ``process`` until each of ``names`` was seen (other lines are kept
    for the failure message: the parent and its worker share one output)."""
    seen: dict[str, str] = {}
    lines = []
    while not set(names) <= seen.keys():
        line = process.stdout.readline()
        lines.append(line)
        assert line and len(lines) <= most, f"expected lines {names}, got {lines}"
        name, _, value = line.strip().partition(" ")
        seen[name] = value
    return seen


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _wait_gone(pid: int) -> None:
    """Wait until ``pid`` (not our child, so not ours to reap) has ended."""
    for _ in range(500):
        if not workdir._is_running(pid):
            return
        time.sleep(0.01)
    raise AssertionError(f"process {pid} did not end")


def test_a_run_folder_stays_while_a_worker_outlives_its_killed_parent(temp):
    parent = _start(RUN_WITH_A_WORKER)
    worker = None
    try:
        seen = _read_all(parent, "folder", "worker")
        folder, worker = Path(seen["folder"]), int(seen["worker"])
        parent.kill()
        parent.wait()
        assert workdir._is_running(worker)

        workdir.remove_stale_run_folders()
        assert folder.is_dir(), "removed while the run's worker still used it"

        _kill(worker)
        _wait_gone(worker)
        workdir.remove_stale_run_folders()
        assert not folder.exists(), "left behind after every process of the run ended"
    finally:
        parent.kill()
        parent.wait()
        if worker is not None:
            _kill(worker)
        parent.stdout.close()
        parent.stdin.close()


def test_two_runs_started_from_one_parent_keep_their_own_folders(temp):
    """As two pytest workers in one process tree: neither shares nor removes the other's."""
    first, second = _start(RUN_THAT_CLEANS), _start(RUN_THAT_CLEANS)
    try:
        first_folder = Path(_read(first)["folder"])
        second_folder = Path(_read(second)["folder"])
        assert first_folder != second_folder

        second.stdin.write("clean\n")
        second.stdin.flush()
        assert _read(second) == {"cleaned": ""}
        assert first_folder.is_dir() and second_folder.is_dir()

        first.kill()
        first.wait()
        second.stdin.write("clean\n")
        second.stdin.flush()
        assert _read(second) == {"cleaned": ""}
        assert not first_folder.exists() and second_folder.is_dir()
    finally:
        for process in (first, second):
            process.kill()
            process.wait()
            process.stdout.close()
            process.stdin.close()


def _dead_runs_folder(temp: Path) -> Path:
    """The folder a run whose process has ended would have left."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    folder = temp / f"{workdir.RUN_PREFIX}{int(done.stdout)}-0123456789abcdef"
    folder.mkdir(mode=0o700)
    return folder


@pytest.mark.parametrize("named", ["now", "by older versions"])
def test_a_dead_runs_folder_without_a_lock_file_is_removed(temp, named):
    """A folder left by a killed run before it took its lock (or by an older version,
    whose folders had no random part in their names)."""
    folder = _dead_runs_folder(temp)
    if named == "by older versions":
        folder = folder.rename(folder.with_name(folder.name.split("-0123")[0]))
    (folder / "grade-x").mkdir()
    workdir.remove_stale_run_folders()
    assert not folder.exists()


@pytest.mark.skipif(os.getuid() != 0, reason="making another user's folder needs root")
def test_folders_made_ahead_by_another_user_do_not_stop_a_run(temp):
    """Run folders' names used to be predictable (the process id alone): another local
    user could make the next ones first and so stop every run."""
    planted = [temp / f"{workdir.RUN_PREFIX}{os.getpid()}"]
    planted += [temp / f"{workdir.RUN_PREFIX}{pid}" for pid in range(2, 200)]
    for folder in planted:
        folder.mkdir(mode=0o700)
        os.chown(folder, 65534, 65534)
    try:
        folder = workdir.run_folder()
        assert folder not in planted and (folder / workdir.LOCK_NAME).is_file()
        assert os.stat(folder).st_uid == os.getuid()
    finally:
        workdir.remove_run_folder()


def test_this_processs_folder_is_locked_again_after_it_was_removed(temp):
    """A second run in one process (tests do this) holds its new folder too."""
    first = workdir.run_folder()
    workdir.remove_run_folder()
    assert not first.exists()
    again = workdir.run_folder()
    try:
        assert again == first and (again / workdir.LOCK_NAME).exists()
        held = workdir._held
        assert held is not None and held[0] == os.getpid()
        assert workdir._same_file(held[1], again / workdir.LOCK_NAME)
    finally:
        workdir.remove_run_folder()


# Another run's cleanup, in a process of its own so that a cleanup that blocks fails
# the test (after the timeout) instead of hanging it.
CLEAN = "from coopcourse.grading.sandbox import workdir; workdir.remove_stale_run_folders()"


@pytest.mark.parametrize("kind", ["fifo", "symlink", "directory"])
def test_an_odd_lock_file_in_another_runs_folder_never_blocks_the_cleanup(temp, kind):
    """Any local user can put a FIFO (whose opening waits for a writer), a symlink or a
    folder where a dead run's lock file would be: that folder is left alone."""
    folder = _dead_runs_folder(temp)
    lock, target = folder / workdir.LOCK_NAME, temp / "target"
    target.write_text("kept", encoding="utf-8")
    if kind == "fifo":
        os.mkfifo(lock)
    elif kind == "symlink":
        lock.symlink_to(target)
    else:
        lock.mkdir()
    try:
        subprocess.run([sys.executable, "-c", CLEAN], timeout=60, check=True)
    finally:
        if kind == "fifo":
            lock.unlink()  # no FIFO left behind in the temporary folder
    assert folder.is_dir(), "not a lock file of ours: not ours to judge"
    assert target.read_text(encoding="utf-8") == "kept"


@pytest.mark.skipif(os.getuid() != 0, reason="making another user's folder needs root")
def test_another_users_run_folder_is_left_alone(temp):
    folder = _dead_runs_folder(temp)
    (folder / workdir.LOCK_NAME).touch()
    os.chown(folder / workdir.LOCK_NAME, 65534, 65534)
    os.chown(folder, 65534, 65534)
    subprocess.run([sys.executable, "-c", CLEAN], timeout=60, check=True)
    assert folder.is_dir()


@pytest.mark.skipif(os.getuid() != 0, reason="making another user's folder needs root")
def test_a_run_folder_made_by_another_user_stops_the_run_with_its_name(temp):
    folder = workdir._run_folder_path()
    folder.mkdir(mode=0o700)
    os.chown(folder, 65534, 65534)
    with pytest.raises(workdir.RunFolderError, match=str(folder)):
        workdir.run_folder()
    assert not (folder / workdir.LOCK_NAME).exists()


@pytest.mark.parametrize("kind", ["symlink", "directory"])
def test_an_odd_lock_file_in_the_runs_own_folder_stops_the_run_with_its_name(temp, kind):
    folder = workdir._run_folder_path()
    folder.mkdir()
    folder.chmod(0o700)
    lock, outside = folder / workdir.LOCK_NAME, temp / "created-outside"
    if kind == "symlink":
        lock.symlink_to(outside)
    else:
        lock.mkdir()
    try:
        with pytest.raises(workdir.RunFolderError, match=str(lock)):
            workdir.run_folder()
        assert not outside.exists(), "the lock file's symlink was followed"
    finally:
        workdir.remove_run_folder()


@pytest.mark.parametrize("kind", ["open to all", "symlink"])
def test_a_run_folder_of_ours_not_as_a_run_leaves_it_is_made_again(temp, kind):
    folder, elsewhere = workdir._run_folder_path(), temp / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kept.txt").write_text("kept", encoding="utf-8")
    if kind == "symlink":
        folder.symlink_to(elsewhere)
    else:
        folder.mkdir()
        folder.chmod(0o755)
    try:
        assert workdir.run_folder() == folder
        info = os.lstat(folder)
        assert info.st_mode & 0o777 == 0o700 and not folder.is_symlink()
        assert (elsewhere / "kept.txt").exists() and not (elsewhere / workdir.LOCK_NAME).exists()
    finally:
        workdir.remove_run_folder()
