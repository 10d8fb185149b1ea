"""The bubblewrap sandbox around every grading kernel.

Each kernel runs as uid 65534 with no capabilities and ``no_new_privs``, in its
own user, PID, network, IPC, UTS and mount namespaces: it sees only its own
processes, has no network (not even loopback to the grader: kernel messages go
over IPC sockets in its scratch folder), and its file system holds only the
system libraries, the Python environment and the course package (read-only),
and its scratch folder (read-write). ``--die-with-parent`` and the PID
namespace make every process of the sandbox end with the kernel.

The paths are discovered at run time (a virtual environment under a temporary
folder works), never hard-coded.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import sys
import sysconfig
from pathlib import Path

SANDBOX_UID = 65534  # "nobody" inside the sandbox
INSTALL_HINT = (
    "the grading sandbox needs bubblewrap (the `bwrap` command): install it with "
    "`apt-get install bubblewrap` (Debian/Ubuntu) or `dnf install bubblewrap` (Fedora), "
    "or pass --no-sandbox to grade without it (not recommended)"
)
# System folders every Python process needs; /etc gets only a few harmless files.
SYSTEM_FOLDERS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/opt")
ETC_FILES = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "passwd",
    "group",
    "nsswitch.conf",
    "mime.types",
    "fonts",
    "matplotlibrc",
)


class SandboxUnavailable(RuntimeError):
    pass


def bwrap_path() -> str | None:
    return shutil.which("bwrap") or (
        "/usr/bin/bwrap" if os.access("/usr/bin/bwrap", os.X_OK) else None
    )


def course_package_paths() -> list[str]:
    """The installed course package and its data folders (an editable install maps
    them into the source checkout: only those folders, never the checkout itself)."""
    paths: set[str] = set()
    for package in ("coopcourse", "coopcourse.seed_texts", "coopcourse.quizbanks"):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        for location in (spec.submodule_search_locations or []) if spec else []:
            paths.add(os.path.realpath(location))
            if package == "coopcourse":
                paths.add(os.path.realpath(os.path.join(os.path.dirname(location), "seeds")))
    return sorted(path for path in paths if os.path.isdir(path))


def python_paths() -> list[str]:
    """The interpreter's prefixes and package folders, as real paths."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths.add(os.path.dirname(os.path.realpath(sys.executable)))
    paths.update(site.getsitepackages())
    # The standard library and package folders by name, never sys.path as a whole:
    # a PYTHONPATH or a `python -m` started in the course folder would put the
    # course (solutions, submissions, gradebook) on it.
    paths.update(sysconfig.get_paths().values())
    if site.ENABLE_USER_SITE and site.getusersitepackages():
        paths.add(site.getusersitepackages())
    found = set()
    for path in paths:
        for candidate in (path, os.path.realpath(path)):
            if os.path.isdir(candidate):
                found.add(candidate)
    return sorted(found)


def _covers(path: str, others: set[str]) -> bool:
    return any(path != other and path.startswith(other.rstrip("/") + "/") for other in others)


def read_only_paths() -> list[str]:
    """Folders bound read-only: Python and the course package (system folders apart)."""
    wanted = set(python_paths()) | set(course_package_paths())
    extra = os.environ.get("COOPCOURSE_READABLE", "")
    wanted.update(path for path in extra.split(os.pathsep) if path and os.path.exists(path))
    wanted = {path for path in wanted if not path.startswith(("/usr/", "/opt/"))}
    return sorted(path for path in wanted if not _covers(path, wanted))


def bwrap_arguments(workdir: Path, keep_fds: tuple[int, ...] = ()) -> list[str]:
    """The bwrap command line (without the command) for a kernel in ``workdir``."""
    executable = bwrap_path()
    if executable is None:
        raise SandboxUnavailable(INSTALL_HINT)
    workdir_text = str(workdir)
    args = [
        executable,
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        str(SANDBOX_UID),
        "--gid",
        str(SANDBOX_UID),
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        "--hostname",
        "grading",
        "--tmpfs",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--tmpfs",
        "/tmp",
    ]
    for folder in SYSTEM_FOLDERS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    for name in ETC_FILES:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for path in read_only_paths():
        args += ["--ro-bind", path, path]
    args += ["--bind", workdir_text, workdir_text, "--chdir", workdir_text]
    args += ["--remount-ro", "/"]
    return args


def check_sandbox() -> None:
    """Raise SandboxUnavailable (with how to fix it) unless a trivial sandbox runs."""
    import subprocess
    import tempfile

    if bwrap_path() is None:
        raise SandboxUnavailable(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="coopcourse-sandbox-check-") as folder:
        command = [*bwrap_arguments(Path(folder)), sys.executable, "-c", "pass"]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if completed.returncode != 0:
        raise SandboxUnavailable(
            "bubblewrap is installed but cannot create a sandbox here "
            f"({completed.stderr.strip() or completed.returncode}); it needs unprivileged "
            "user namespaces (sysctl kernel.unprivileged_userns_clone=1) or, in a "
            "container, seccomp/AppArmor settings that allow them; or pass --no-sandbox"
        )
