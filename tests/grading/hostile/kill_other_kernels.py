"""A detached (setsid, double fork) process that SIGKILLs every other process."""

CODE = (
    "import os, signal\n"
    "if os.fork() == 0:\n"
    "    os.setsid()\n"
    "    if os.fork() == 0:\n"
    "        while True:\n"
    "            os.kill(-1, signal.SIGKILL)\n"
    "    os._exit(0)"
)
PROBLEM = "use os.fork"
