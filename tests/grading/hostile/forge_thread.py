"""A thread that keeps running and forges results while the tests run."""

from tests.grading.hostile import FORGE

CODE = FORGE + (
    "import threading, time\n"
    "def loop():\n"
    "    while True:\n"
    "        get_ipython().user_ns['double'] = lambda x: 2 * x\n"
    "        forge_result()\n"
    "        time.sleep(0.01)\n"
    "threading.Thread(target=loop, daemon=True).start()"
)
PROBLEM = "integrity"
