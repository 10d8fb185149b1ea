"""Signed shell messages the grader never asked for, sent as fast as the kernel can,
to hold a grading worker (each one used to be decoded in full, with no deadline)."""

CODE = (
    "import time, zmq\n"
    "kernel = get_ipython().kernel\n"
    "socket, session = kernel.shell_stream.socket, kernel.session\n"
    "grader = kernel._parent_ident['shell']\n"
    "padding = {'pad': [[]] * 2000}\n"
    "started = time.monotonic()\n"
    "while time.monotonic() - started < 20:\n"
    "    message = session.msg('status', content=padding, parent={})\n"
    "    try:\n"
    "        socket.send_multipart(session.serialize(message, ident=grader), zmq.NOBLOCK)\n"
    "    except zmq.Again:\n"
    "        time.sleep(0.001)\n"
)
PROBLEM = "flooded the grader with messages"
