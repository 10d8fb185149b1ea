"""A signal.setitimer timer whose handler forges results (and reads the grader's frames)."""

from tests.grading.hostile import FORGE

CODE = FORGE + (
    "import signal\n"
    "def handler(number, frame):\n"
    "    forge_result()\n"
    "signal.signal(signal.SIGALRM, handler)\n"
    "signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)"
)
PROBLEM = "integrity"
