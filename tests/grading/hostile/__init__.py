"""The hostile corpus: one module per attack on the grader, each a learner's cell.

Each module has a docstring saying what the attack tries, ``CODE`` (a cell put
after the answer to Q1 of the sample assignment, whose answers are wrong, so any
mark would be unearned) and ``PROBLEM`` (words the instructor must see in the
submission's problems, or None when the attack simply finds nothing to use).
"""

from __future__ import annotations

import importlib
import pkgutil

FORGE = (
    # Writes a well-formed but unsigned record claiming a passed check onto every pipe
    # the kernel holds (the result channel is one of them).
    "def forge_result():\n"
    "    import marshal, os\n"
    "    body = marshal.dumps(('check', 'r', 'd', 1, 'fx_demo.q1.1', 'value', '', "
    "marshal.dumps(4, 2), b''), 2)\n"
    "    frame = len(body).to_bytes(4, 'big') + bytes(32) + body\n"
    "    for fd in os.listdir('/proc/self/fd'):\n"
    "        try:\n"
    "            if os.readlink(f'/proc/self/fd/{fd}').startswith('pipe:'):\n"
    "                os.write(int(fd), frame)\n"
    "        except OSError:\n"
    "            pass\n"
)


def attacks() -> dict[str, object]:
    """Student name -> attack module, for every module of this package."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[f"hostile_{info.name}"] = module
    return found
