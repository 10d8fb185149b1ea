"""Start an IPython kernel for grading with resource limits already in force.

Used as the ``argv`` of the grading kernel spec::

    python -m coopcourse.grading.sandbox.launcher -f {connection_file}

Limits arrive as JSON in ``COOPCOURSE_KERNEL_LIMITS`` (see ``Limits``); they are
applied with ``resource.setrlimit`` before ipykernel is imported, so nothing the
learner's code does can lift them (hard limits can only be lowered). Where the
Linux kernel offers Landlock, writes are confined to the kernel's working folder
and reads to the Python installation and system folders, which keeps other
submissions, the gradebook and the instructor's solutions out of reach.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import sys

LIMITS_VARIABLE = "COOPCOURSE_KERNEL_LIMITS"
PR_SET_PDEATHSIG = 1
SIGKILL = 9


def _set(limit: int, value: int) -> None:
    soft, hard = resource.getrlimit(limit)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(limit, (value, value))


def _running_processes(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
            except OSError:
                continue
    return count


def apply_limits(limits: dict) -> None:
    """Apply CPU, memory, file size, open files and process limits to this process."""
    if limits.get("cpu_seconds"):
        # The soft limit sends SIGXCPU; the hard limit one second later kills.
        seconds = int(limits["cpu_seconds"])
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    if limits.get("memory_mb"):
        _set(resource.RLIMIT_AS, int(limits["memory_mb"]) * 1024 * 1024)
    if limits.get("file_size_mb"):
        _set(resource.RLIMIT_FSIZE, int(limits["file_size_mb"]) * 1024 * 1024)
    if limits.get("open_files"):
        _set(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    if limits.get("extra_processes") and os.getuid() != 0:
        # RLIMIT_NPROC counts all processes of the user; root is exempt from it.
        _set(
            resource.RLIMIT_NPROC, _running_processes(os.getuid()) + int(limits["extra_processes"])
        )
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def bound_unsent_output(limit: int) -> None:
    """Drop what the kernel prints while more than ``limit`` characters of a stream wait
    to be sent.

    ipykernel keeps printed text in memory until its output thread sends it. A cell
    printing in a tight loop on a busy machine outruns that thread, and the text piles
    up until the kernel hits its memory limit, losing every later cell. The grader
    keeps no more than its output budget of a cell and stops a cell that prints more,
    so text past twice the budget that was never sent changes nothing it sees.
    """
    from ipykernel.iostream import OutStream

    write = OutStream.write

    def bounded_write(self, string):
        buffers = getattr(self, "_buffers", None)  # ipykernel 6.x-7.x: unsent text
        if isinstance(string, str) and buffers is not None:
            unsent = buffers.get(frozenset(self.parent_header.items()))
            if unsent is not None and unsent.tell() > limit:
                return len(string)
        return write(self, string)

    OutStream.write = bounded_write


def die_with_parent() -> None:
    """Ask Linux to kill this kernel if the grading worker that started it dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def readable_roots(connection_file: str) -> list[str]:
    """Folders the kernel may read: Python, its packages, system folders, the course package."""
    import importlib.util
    import site
    import sysconfig

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    # Package folders by name, never sys.path as a whole (see sandbox.python_paths).
    roots.update(sysconfig.get_paths().values())
    roots.update(site.getsitepackages())
    if site.ENABLE_USER_SITE and site.getusersitepackages():
        roots.add(site.getusersitepackages())
    roots.update(["/usr", "/lib", "/lib64", "/bin", "/etc", "/proc", "/sys", "/dev", "/opt"])
    # The course package and its data packages (an editable install maps some of
    # them to folders outside site-packages, e.g. seeds/ for coopcourse.seed_texts).
    for package in ("coopcourse", "coopcourse.seed_texts", "coopcourse.quizbanks"):
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        if spec and spec.submodule_search_locations:
            roots.update(spec.submodule_search_locations)
            if package == "coopcourse":
                # A source checkout reads its seed texts from the top-level seeds/ folder.
                for location in spec.submodule_search_locations:
                    roots.add(os.path.join(os.path.dirname(location), "seeds"))
    seeds = os.environ.get("COOPCOURSE_READABLE", "")
    roots.update(path for path in seeds.split(os.pathsep) if path)
    roots.add(connection_file)
    roots.add(os.getcwd())
    return sorted(path for path in roots if os.path.exists(path))


def kernel_ports(connection_file: str) -> list[int]:
    """The TCP ports the kernel must listen on (none with the IPC transport)."""
    with open(connection_file, encoding="utf-8") as handle:
        info = json.load(handle)
    if info.get("transport", "tcp") != "tcp":
        return []
    names = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
    return [int(info[name]) for name in names if info.get(name)]


def read_key() -> bytes:
    """The result channel's signing key, read once from its pipe, which is then closed."""
    from coopcourse.grading.sandbox.channel import KEY_VARIABLE

    fd = int(os.environ.pop(KEY_VARIABLE, "-1"))
    if fd < 0:
        return b""
    try:
        key = os.read(fd, 64)
    finally:
        os.close(fd)
    return key


def main(argv: list[str]) -> None:
    from coopcourse.grading.sandbox.channel import CHANNEL_VARIABLE

    limits = json.loads(os.environ.pop(LIMITS_VARIABLE, "{}"))
    die_with_parent()
    # In the sandbox the grader's process id means nothing (another PID namespace);
    # ipykernel would take its absence for the grader's exit.
    os.environ.pop("JPY_PARENT_PID", None)
    key = read_key()
    channel_fd = int(os.environ.pop(CHANNEL_VARIABLE, "-1"))
    connection_file = argv[argv.index("-f") + 1] if "-f" in argv else ""
    if limits.get("filesystem_sandbox"):
        from coopcourse.grading.sandbox.landlock import LandlockUnavailable, restrict_filesystem

        try:
            restrict_filesystem(
                readable=readable_roots(os.path.abspath(connection_file)),
                writable=[os.getcwd(), "/dev/null"],
                bind_ports=kernel_ports(connection_file) if limits.get("network_sandbox") else None,
                scoped=True,
            )
        except LandlockUnavailable as error:
            # Grading goes on without the sandbox; `coopcourse class` warns about it.
            print(f"coopcourse: file-system sandbox unavailable: {error}", file=sys.stderr)
    apply_limits(limits)
    if channel_fd >= 0:
        from coopcourse.grading.sandbox.sentry import install

        os.set_inheritable(channel_fd, False)
        install(channel_fd, key)  # the first audit hook, before ipykernel is imported
    del key
    # Tab completion is never used in grading; IPython works without jedi, whose
    # import is about a tenth of a kernel's start.
    sys.modules.setdefault("jedi", None)
    if limits.get("output_limit_kb"):
        bound_unsent_output(2 * 1024 * int(limits["output_limit_kb"]))
    from ipykernel import kernelapp

    sys.argv = [sys.argv[0], *argv]
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main(sys.argv[1:])
