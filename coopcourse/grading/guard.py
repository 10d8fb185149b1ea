"""Code the grader runs inside the learner's kernel: a prelude and a guard.

The prelude runs first, before any learner code, and snapshots the kernel's
pristine hooks. The guard runs right before every test cell: it restores
IPython's input and AST transformers, event callbacks, traceback and display
hooks, patched methods of the shell and kernel classes, ``builtins``, trace and
profile functions, then defines a fresh ``__cc_export__`` that sends each
exported value, tagged with the run's nonce, as a display message of a private
MIME type.

This is defence in depth, not the basis of trust: the kernel never receives an
expected value, so whatever learner code does to the kernel it cannot make a
wrong answer match.
"""

from __future__ import annotations

from coopcourse.grading.values import ENCODER_SOURCE

EXPORT_MIME = "application/x-coopcourse-check+json"
GUARD_MODULE = "_coopcourse_guard"

_PRELUDE_TEMPLATE = r"""
def __cc_install():
    import builtins, sys, threading, types
    import IPython.core.interactiveshell as _shell_module
    from IPython.display import publish_display_data
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
    pristine_builtins = dict(state["builtins"])
    encoder_namespace = {"__builtins__": pristine_builtins}
    exec(__CC_ENCODER__, encoder_namespace)
    encode = encoder_namespace["encode_value"]

    def restore():
        sys.settrace(None)
        sys.setprofile(None)
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

    def make_export(nonce):
        def export(nonce_given, check_id, actual, expected=None):
            record = {"nonce": nonce, "id": check_id}
            if nonce_given != nonce:
                record["error"] = "nonce mismatch"
            else:
                try:
                    record["value"] = encode(actual())
                except KeyboardInterrupt:
                    raise
                except BaseException as error:
                    record["error"] = type(error).__name__
                    try:
                        record["detail"] = str(error)[:300]
                    except BaseException:
                        record["detail"] = ""
                if expected is not None:
                    record["expected"] = encode(expected())
            publish_display_data({__CC_MIME__: record}, metadata={})
        return export

    def guard(nonce):
        restore()
        shell.user_ns["__cc_export__"] = make_export(nonce)
        shell.user_ns["__cc_builtins__"] = dict(pristine_builtins)

    module = types.ModuleType(__CC_MODULE__)
    module.guard = guard
    sys.modules[__CC_MODULE__] = module

    # The grader calls the guard through a comm message, which does not pass
    # through run_cell: input transformers, AST transformers or a broken builtin
    # installed by learner code cannot stop it.
    import comm

    def on_open(channel, message):
        guard(message["content"]["data"]["nonce"])

    comm.get_comm_manager().register_target(__CC_MODULE__, on_open)


__cc_install()
del __cc_install
"""

PRELUDE = (
    _PRELUDE_TEMPLATE.replace("__CC_ENCODER__", repr(ENCODER_SOURCE))
    .replace("__CC_MIME__", repr(EXPORT_MIME))
    .replace("__CC_MODULE__", repr(GUARD_MODULE))
)


def guard_message(nonce: str) -> tuple[str, dict]:
    """Comm target and data that make the kernel run the guard (see GradingKernel.call)."""
    return GUARD_MODULE, {"nonce": nonce}
