"""The course's tools and its test run go without jsonschema's slow optional IRI checker
(see coopcourse/startup.py)."""

from __future__ import annotations

import subprocess
import sys

CHECKER = "rfc3987_syntax"


def test_the_test_run_skips_the_checker_before_nbval_imports_nbformat():
    # pyproject.toml's addopts loads coopcourse.startup first; nbval has imported
    # nbformat, and so jsonschema, by now.
    assert "jsonschema" in sys.modules
    assert CHECKER in sys.modules and sys.modules[CHECKER] is None


def test_the_command_line_skips_the_checker():
    code = (
        "import sys; import coopcourse.cli; import nbformat; "
        f"print(repr(sys.modules.get({CHECKER!r}, 'absent')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "None"
