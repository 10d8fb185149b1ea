"""The sentry: an audit hook installed in the grading kernel before any other code.

It is the first audit hook of the kernel (the launcher installs it before
ipykernel is imported) and Python offers no way to remove one. Once the
grader's prelude *arms* it, it:

- ends the kernel (after reporting why) when learner code adds an audit hook,
  sets a trace or profile function, looks for objects through ``gc``, uses
  ``ctypes``, starts or signals a process, or inspects frames and code while a
  test cell runs;
- runs every test cell itself (event ``coopcourse.test``), in a copy of the
  learner's namespace with pristine built-ins, and records the value of each
  check on the *result channel*: a pipe to the grader, each record signed with a
  key that reached this hook before any learner code ran and that exists
  nowhere else in the kernel. Anything else written on the pipe fails the
  signature and is reported as tampering.

Everything the hook calls is captured when it is installed (built-in functions
only), so a learner's monkeypatch of a module cannot run inside it.
"""

from __future__ import annotations

ARM_EVENT = "coopcourse.arm"
TEST_EVENT = "coopcourse.test"
VIOLATION_EXIT = 86
MAX_VALUE_BYTES = 8 * 2**20

# Forbidden once armed, anywhere in the notebook.
ALWAYS_FORBIDDEN = frozenset(
    {
        "sys.addaudithook",
        "sys.settrace",
        "sys.setprofile",
        "sys._current_frames",
        "sys._current_exceptions",
        "gc.get_objects",
        "gc.get_referrers",
        "gc.get_referents",
        "os.fork",
        "os.forkpty",
        "os.posix_spawn",
        "os.spawn",
        "os.exec",
        "os.system",
        "os.killpg",
        "subprocess.Popen",
        "signal.pthread_kill",
        "pty.spawn",
        "code.__new__",
        "function.__new__",
    }
)
FORBIDDEN_PREFIXES = ("ctypes.", "_ctypes")
# Forbidden only while a test cell runs: frame and code introspection.
TEST_FORBIDDEN = frozenset({"sys._getframe", "sys._getframemodulename", "object.__getattr__"})
SETATTR_FORBIDDEN = frozenset({"__code__"})
# Every text a violation record can carry; the grader shows no other (a record's text
# must never carry words of the notebook's, which could hold hidden test inputs).
KNOWN_VIOLATIONS = frozenset(
    ALWAYS_FORBIDDEN
    | {"ctypes", "os.kill"}
    | {f"use {event} while a test cell ran" for event in TEST_FORBIDDEN}
    | {f"change a function's {name}" for name in SETATTR_FORBIDDEN}
    | {
        "the notebook had a thread of its own running",
        "the notebook added a garbage-collector callback",
        "the notebook installed a signal handler",
        "the notebook set a timer (signal.setitimer or alarm)",
        "the notebook set a trace or profile function",
        "the notebook called a check with a forged id",
        "the notebook raised an audit event with a forged name",
        "the notebook started a test from inside a test",
        "the notebook sent a malformed test request",
    }
)


def install(channel_fd: int, key: bytes) -> None:
    """Install the sentry; ``channel_fd`` is the write end of the result pipe."""
    import _signal
    import _thread
    import builtins
    import gc
    import hashlib
    import marshal
    import os
    import sys

    exact_type, exact_str, exact_tuple, exact_bool = type, str, tuple, bool
    exact_dict = dict
    length, compile_code, run_code = len, compile, exec
    os_write, os_exit, os_getpid = os.write, os._exit, os.getpid
    dumps, audit_hook, sha256 = marshal.dumps, sys.addaudithook, hashlib.sha256
    thread_count, get_signal, get_itimer = _thread._count, _signal.getsignal, _signal.getitimer
    get_ident = _thread.get_ident
    gc_enable, gc_disable, gc_isenabled = gc.enable, gc.disable, gc.isenabled
    gc_callbacks = gc.callbacks
    gettrace, getprofile = sys.gettrace, sys.getprofile
    sigint = _signal.SIGINT
    timers = (_signal.ITIMER_REAL, _signal.ITIMER_VIRTUAL, _signal.ITIMER_PROF)
    signals = tuple(range(1, _signal.NSIG))
    memory = memoryview
    pristine = dict(builtins.__dict__)
    builtin_errors = frozenset(
        value
        for value in pristine.values()
        if exact_type(value) is type and issubclass(value, BaseException)
    )
    padded = key.ljust(64, b"\0")
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in padded))
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in padded))
    del key, padded
    always, prefixes, in_test_only = ALWAYS_FORBIDDEN, FORBIDDEN_PREFIXES, TEST_FORBIDDEN
    setattr_forbidden, max_bytes = SETATTR_FORBIDDEN, MAX_VALUE_BYTES
    # state: [armed, running a test, threads, gc callbacks, signal handlers, test's thread]
    state = [False, False, 0, 0, (), None]

    def write(record: tuple) -> None:
        body = dumps(record, 2)
        mac_inner = inner.copy()
        mac_inner.update(body)
        mac = outer.copy()
        mac.update(mac_inner.digest())
        view = memory(length(body).to_bytes(4, "big") + mac.digest() + body)
        while length(view):
            view = view[os_write(channel_fd, view) :]

    def violation(what: str) -> None:
        try:
            write(("violation", what if exact_type(what) is exact_str else "?"))
        finally:
            os_exit(VIOLATION_EXIT)

    def handlers() -> tuple:
        return tuple(get_signal(number) for number in signals)

    def check_quiet() -> None:
        """Learner code must not be able to run on its own during a test cell."""
        if thread_count() > state[2]:
            violation("the notebook had a thread of its own running")
        if length(gc_callbacks) != state[3]:
            violation("the notebook added a garbage-collector callback")
        if handlers() != state[4]:
            violation("the notebook installed a signal handler")
        for timer in timers:
            if get_itimer(timer) != (0.0, 0.0):
                violation("the notebook set a timer (signal.setitimer or alarm)")
        if gettrace() is not None or getprofile() is not None:
            violation("the notebook set a trace or profile function")

    def error_name(error: BaseException) -> str:
        kind = exact_type(error)
        return kind.__name__ if kind in builtin_errors else "an error of the notebook's own type"

    def encode(thunk) -> tuple:
        """(status, detail, marshal bytes) of ``thunk()``; learner code runs only in thunk()."""
        try:
            value = thunk()
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # noqa: BLE001 - reported as the check's result
            return ("error", error_name(error), b"")
        check_quiet()
        was_enabled = gc_isenabled()
        gc_disable()  # no finalizer runs while the value is serialised
        try:
            body = dumps(value, 2)
        except (ValueError, RecursionError, MemoryError):
            return ("unsupported", "", b"")
        finally:
            if was_enabled:
                gc_enable()
        if length(body) > max_bytes:
            return ("too-large", "", b"")
        return ("value", "", body)

    def run_test(request: str, source: str, drop: frozenset, reference: bool, names: dict):
        # What really runs is what is signed: the grader compares it with what it sent.
        digest = sha256((request + "\0" + source).encode()).hexdigest()
        counter = [0]

        def record(check_id, actual, expected=None):
            if exact_type(check_id) is not exact_str:
                violation("the notebook called a check with a forged id")
            status, detail, body = encode(actual)  # an interrupt ends the test here
            expected_body = b""
            if reference and expected is not None:
                expected_body = encode(expected)[2]
            counter[0] += 1  # only checks that report are counted
            write(
                (
                    "check",
                    request,
                    digest,
                    counter[0],
                    check_id,
                    status,
                    detail,
                    body,
                    expected_body,
                )
            )

        namespace = {
            name: value
            for name, value in names.items()
            if exact_type(name) is exact_str and name not in drop
        }
        namespace["__builtins__"] = exact_dict(pristine)
        namespace["__cc_check__"] = record
        status = "ok"
        try:
            check_quiet()
            run_code(compile_code(source, "<test cell>", "exec"), namespace)
        except KeyboardInterrupt:
            status = "interrupted"
        except BaseException as error:  # noqa: BLE001 - reported, never raised into the cell
            status = error_name(error)
        write(("done", request, digest, counter[0], status))

    def hook(event, args) -> None:
        if exact_type(event) is not exact_str:
            violation("the notebook raised an audit event with a forged name")
        if not state[0]:
            if event == ARM_EVENT:
                state[0], state[2], state[3], state[4] = (
                    True,
                    thread_count(),
                    length(gc_callbacks),
                    handlers(),
                )
            return
        if event in always:
            violation(event)
        elif event.startswith(prefixes):
            # The event's name is the notebook's own text: report only the category.
            violation("ctypes")
        if event == "os.kill":
            # ipykernel interrupts itself with SIGINT; nothing else may be signalled.
            if not (length(args) == 2 and args[0] == os_getpid() and args[1] == sigint):
                violation("os.kill")
        elif event == "object.__setattr__":
            if length(args) >= 2 and args[1] in setattr_forbidden:
                violation(f"change a function's {args[1]}")
        elif state[1] and event in in_test_only and get_ident() == state[5]:
            # Only the test's own thread runs learner code (a thread of the notebook's
            # is refused before the test starts); the kernel's threads, e.g. logging
            # an interrupt after a timeout, may look at frames.
            violation(f"use {event} while a test cell ran")
        elif event == TEST_EVENT:
            if state[1]:
                violation("the notebook started a test from inside a test")
            if not (
                length(args) == 5
                and exact_type(args[0]) is exact_str
                and exact_type(args[1]) is exact_str
                and exact_type(args[2]) is exact_tuple
                and exact_type(args[3]) is exact_bool
                and exact_type(args[4]) is exact_dict
            ):
                violation("the notebook sent a malformed test request")
            drop = frozenset(name for name in args[2] if exact_type(name) is exact_str)
            state[1], state[5] = True, get_ident()
            try:
                run_test(args[0], args[1], drop, args[3], args[4])
            finally:
                state[1] = False

    audit_hook(hook)


def test_request(request: str, source: str, drop: frozenset[str], reference: bool) -> str:
    """Python source of a cell that asks the sentry to run ``source`` as a test cell."""
    return (
        f"__import__('sys').audit({TEST_EVENT!r}, {request!r}, {source!r}, "
        f"{tuple(sorted(drop))!r}, {reference!r}, globals())"
    )
