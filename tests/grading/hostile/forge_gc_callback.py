"""A gc.callbacks entry that forges a result whenever the garbage collector runs."""

from tests.grading.hostile import FORGE

CODE = FORGE + "import gc\ngc.callbacks.append(lambda phase, info: forge_result())"
PROBLEM = "integrity"
