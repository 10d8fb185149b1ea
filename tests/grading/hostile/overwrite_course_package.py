"""Overwrites the installed course package (checks and grader modules)."""

CODE = (
    "import coopcourse.grading.checks as checks, coopcourse.grading.pipeline.scoring as scoring\n"
    "for module in (checks, scoring):\n"
    "    try:\n"
    "        open(module.__file__, 'a').write('\\nraise SystemExit\\n')\n"
    "    except OSError:\n"
    "        pass"
)
PROBLEM = None
