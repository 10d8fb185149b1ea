"""A checked function that walks up the stack into the grader's frames to reach its key."""

CODE = (
    "import sys\n"
    "def double(x):\n"
    "    frame = sys._getframe(1)\n"
    "    while frame is not None:\n"
    "        frame.f_locals.get('record')\n"
    "        frame = frame.f_back\n"
    "    return x + 1"
)
PROBLEM = "sys._getframe while a test cell ran"
