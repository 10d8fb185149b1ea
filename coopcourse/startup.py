"""Start-up settings for the course's command-line tools and its test run."""

from __future__ import annotations

import sys

# jsonschema (imported by nbformat) loads the optional IRI syntax checker
# ``rfc3987_syntax`` if it is installed, and that package builds about forty
# parsers at import: 2-3 s of CPU in every process (python-jsonschema/jsonschema#1392).
# Nothing in the course validates IRIs, so the command-line tools go without it.
SKIPPED_OPTIONAL_MODULES = ("rfc3987_syntax",)


def skip_slow_optional_imports() -> None:
    """Make the slow optional modules look absent (a ``None`` entry makes ``import`` fail
    with ImportError, which their users treat as "not installed")."""
    for name in SKIPPED_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)


# Applied on import: the command line imports this module before any command
# imports nbformat, and pytest loads it before its plugins do, in the main process
# and every worker (``-p coopcourse.startup`` in pyproject.toml's addopts).
skip_slow_optional_imports()
