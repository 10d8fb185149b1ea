"""Signed shell messages the grader never asked for, sent as fast as the kernel can,
to hold a grading worker (each one used to be decoded in full, with no deadline).

The grader stops it either as a flood or, when the machine is slow to send, by the
cell's timeout; either way the problem names the cell, and the class run goes on."""

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
PROBLEM = "your cell after q1_answer"
