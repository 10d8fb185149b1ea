"""A trace function set for new threads (threading.settrace) to rewrite test frames."""

CODE = (
    "import threading\n"
    "def trace(frame, event, arg):\n"
    "    frame.f_globals['double'] = lambda x: 2 * x\n"
    "    return trace\n"
    "threading.settrace(trace)\n"
    "threading.Thread(target=lambda: None).start()"
)
PROBLEM = "set a trace function"
