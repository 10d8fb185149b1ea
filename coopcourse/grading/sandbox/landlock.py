"""Confine this process's file access with Linux Landlock (no root needed).

After :func:`restrict_filesystem` the process (and any child) may read only
below the ``readable`` paths and write only below the ``writable`` ones; other
access fails with PermissionError. It cannot be undone from inside. Where
Landlock is missing (older kernels, other systems) it raises LandlockUnavailable.
"""

from __future__ import annotations

import ctypes
import os

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446  # x86_64 and arm64 alike
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH, RULE_NET_PORT = 1, 2
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
# ABI 6 (Linux 6.12): no connecting to abstract Unix sockets or signalling processes
# outside this Landlock domain.
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
CHANGE_TREE = sum(1 << bit for bit in range(4, 13))  # remove/make dirs, files, links...
REFER, TRUNCATE = 1 << 13, 1 << 14
READ = EXECUTE | READ_FILE | READ_DIR
FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE


class LandlockUnavailable(OSError):
    pass


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _NetPortAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("port", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def abi_version() -> int:
    """Landlock ABI version offered by the running Linux kernel (0 if none)."""
    try:
        version = _libc().syscall(SYS_CREATE_RULESET, None, 0, CREATE_RULESET_VERSION)
    except (OSError, AttributeError):
        return 0
    return max(int(version), 0)


def restrict_filesystem(
    readable: list[str],
    writable: list[str],
    bind_ports: list[int] | None = None,
    *,
    scoped: bool = False,
) -> int:
    """Allow reading below ``readable`` and everything below ``writable``; return the ABI.

    With ``bind_ports`` (and Landlock ABI 4 or later) TCP is confined too: the
    process may listen on those ports only and may not open TCP connections.
    With ``scoped`` (and ABI 6 or later) it may neither signal processes nor reach
    abstract Unix sockets outside its own Landlock domain.
    """
    abi = abi_version()
    if abi < 1:
        raise LandlockUnavailable("Landlock is not available on this system")
    handled = READ | WRITE_FILE | CHANGE_TREE
    if abi >= 2:
        handled |= REFER
    if abi >= 3:
        handled |= TRUNCATE
    libc = _libc()
    confine_network = bind_ports is not None and abi >= 4
    scope = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if scoped and abi >= 6 else 0
    attr = _RulesetAttr(handled, NET_BIND_TCP | NET_CONNECT_TCP if confine_network else 0, scope)
    # Older ABIs know only the first fields; a larger struct would be refused.
    fields = 3 if scope else 2 if confine_network else 1
    size = fields * ctypes.sizeof(ctypes.c_uint64)
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        raise LandlockUnavailable(os.strerror(ctypes.get_errno()))
    try:
        for paths, access in ((readable, READ), (writable, handled)):
            for path in paths:
                _add_rule(libc, ruleset, path, access)
        for port in bind_ports if confine_network else []:
            rule = _NetPortAttr(NET_BIND_TCP, port)
            if libc.syscall(SYS_ADD_RULE, ruleset, RULE_NET_PORT, ctypes.byref(rule), 0) != 0:
                raise LandlockUnavailable(f"cannot allow port {port}")
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise LandlockUnavailable("cannot set no_new_privs")
        if libc.syscall(SYS_RESTRICT_SELF, ruleset, 0) != 0:
            raise LandlockUnavailable(os.strerror(ctypes.get_errno()))
    finally:
        os.close(ruleset)
    return abi


def _add_rule(libc, ruleset: int, path: str, access: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not os.path.isdir(path):
            access &= FILE_ONLY
        rule = _PathBeneathAttr(access, fd)
        if libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise LandlockUnavailable(
                f"cannot add a rule for {path}: {os.strerror(ctypes.get_errno())}"
            )
    finally:
        os.close(fd)
