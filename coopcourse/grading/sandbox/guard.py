"""Code the grader runs inside the learner's kernel: a prelude and a guard.

The prelude runs first, before any learner code, and snapshots the kernel's
pristine hooks. The guard runs right before every test cell: it restores
IPython's input and AST transformers, event callbacks, traceback and display
hooks, patched methods of the shell and kernel classes and ``builtins``, so that
an honest notebook's accident (a leftover transformer) does not stop its tests.

This is a convenience, not the basis of trust: results travel only on the
sentry's signed channel (see :mod:`coopcourse.grading.sandbox.sentry`), and the kernel
never receives an expected value. The prelude's last act arms the sentry.
"""

from __future__ import annotations

from coopcourse.grading.sandbox.sentry import ARM_EVENT

GUARD_MODULE = "_coopcourse_guard"

_PRELUDE_TEMPLATE = r"""
def __cc_install():
    import builtins, sys, threading, types
    import IPython.core.interactiveshell as _shell_module
    import ipykernel.ipkernel, ipykernel.kernelbase, ipykernel.zmqshell

    shell = get_ipython()
    classes = [_shell_module.InteractiveShell, ipykernel.zmqshell.ZMQInteractiveShell,
               ipykernel.ipkernel.IPythonKernel, ipykernel.kernelbase.Kernel, BaseException,
               AssertionError]
    shell_names = ["showtraceback", "_showtraceback", "showsyntaxerror", "run_cell",
                   "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                   "transform_ast", "display_pub", "displayhook", "display_trap", "events",
                   "input_transformer_manager", "ast_transformers", "custom_exceptions",
                   "CustomTB", "excepthook", "user_ns", "user_global_ns"]
    # Printing in an endless loop fills the kernel's output buffer faster than it
    # can be sent; past a cap (far above the grader's output budget) further output
    # is dropped, so such a notebook ends the same way on a busy machine or a quiet one.
    def capped(stream, _left=[__CC_OUTPUT_CAP__]):
        write = stream.write

        def capped_write(text):
            if _left[0] <= 0:
                return len(text)
            _left[0] -= len(text)
            return write(text)

        stream.write = capped_write

    capped(sys.stdout)
    capped(sys.stderr)
    state = {
        "builtins": dict(builtins.__dict__),
        "sys": {name: getattr(sys, name) for name in
                ("excepthook", "displayhook", "stdout", "stderr", "exit", "settrace")},
        "classes": [(cls, dict(cls.__dict__)) for cls in classes],
        "shell": {name: shell.__dict__[name] for name in shell_names if name in shell.__dict__},
        "events": {name: list(callbacks) for name, callbacks in shell.events.callbacks.items()},
        "cleanup": list(shell.input_transformer_manager.cleanup_transforms),
        "line": list(shell.input_transformer_manager.line_transforms),
        "token": list(shell.input_transformer_manager.token_transformers),
        "post": list(shell.input_transformers_post),
        "ast": list(shell.ast_transformers),
    }
    def restore():
        # sys.settrace/setprofile are forbidden by the sentry, so never set.
        threading.settrace(None)
        threading.setprofile(None)
        current = builtins.__dict__
        for name in [name for name in current if name not in state["builtins"]]:
            del current[name]
        for name, value in state["builtins"].items():
            if current.get(name) is not value:
                current[name] = value
        for name, value in state["sys"].items():
            setattr(sys, name, value)
        for cls, attributes in state["classes"]:
            for name in [name for name in cls.__dict__ if name not in attributes]:
                try:
                    delattr(cls, name)
                except (AttributeError, TypeError):
                    pass
            for name, value in attributes.items():
                if cls.__dict__.get(name) is not value and name not in ("__dict__", "__weakref__"):
                    try:
                        setattr(cls, name, value)
                    except (AttributeError, TypeError):
                        pass
        for name, value in state["shell"].items():
            shell.__dict__[name] = value
        for name in ("showtraceback", "_showtraceback", "showsyntaxerror", "run_cell",
                     "run_cell_async", "run_ast_nodes", "run_code", "transform_cell",
                     "transform_ast"):
            if name in shell.__dict__ and name not in state["shell"]:
                del shell.__dict__[name]
        for name, callbacks in shell.events.callbacks.items():
            callbacks[:] = state["events"].get(name, [])
        manager = shell.input_transformer_manager
        manager.cleanup_transforms[:] = state["cleanup"]
        manager.line_transforms[:] = state["line"]
        manager.token_transformers[:] = state["token"]
        shell.input_transformers_post[:] = state["post"]
        shell.ast_transformers[:] = state["ast"]

    def guard():
        restore()

    module = types.ModuleType(__CC_MODULE__)
    module.guard = guard
    sys.modules[__CC_MODULE__] = module

    # The grader calls the guard through a comm message, which does not pass
    # through run_cell: input transformers, AST transformers or a broken builtin
    # installed by learner code cannot stop it.
    import comm

    def on_open(channel, message):
        guard()

    comm.get_comm_manager().register_target(__CC_MODULE__, on_open)


__cc_install()
del __cc_install
# pyzmq starts its garbage-collector thread on the first large message; start it now,
# before the sentry is armed and starts counting threads.
__import__("zmq.utils.garbage").utils.garbage.gc.start()
__import__("sys").audit(__CC_ARM__)
"""

OUTPUT_CAP_CHARACTERS = 8 * 2**20  # printed characters per submission, then dropped
PRELUDE = (
    _PRELUDE_TEMPLATE.replace("__CC_MODULE__", repr(GUARD_MODULE))
    .replace("__CC_ARM__", repr(ARM_EVENT))
    .replace("__CC_OUTPUT_CAP__", str(OUTPUT_CAP_CHARACTERS))
)


def guard_message() -> tuple[str, dict]:
    """Comm target and data that make the kernel run the guard (see GradingKernel.call)."""
    return GUARD_MODULE, {}
