"""Helpers shared by the tests that read lesson notebooks."""

from __future__ import annotations

from pathlib import Path

import nbformat

COURSE_ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((COURSE_ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


def read(path: Path):
    return nbformat.read(path, as_version=4)


def markdown_of(path: Path) -> str:
    return "\n\n".join(c.source for c in read(path).cells if c.cell_type == "markdown")
