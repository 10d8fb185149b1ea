"""Leaves three thousand nested folders in the scratch folder.

Deeper than Python's recursion limit, so ``shutil.rmtree`` raised
RecursionError while cleaning up: the class run crashed at its end and every
later run crashed at its start."""

CODE = (
    "import os\n"
    "for _ in range(3000):\n"
    "    os.mkdir('d')\n"
    "    os.chdir('d')"
)
PROBLEM = None  # nothing to gain; the grader must simply clean up and go on
