"""The grading package's layout rules: one home for nbgrader's cell format, light plugins."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import coopcourse.grading

GRADING = Path(coopcourse.grading.__file__).parent
CELL_RULES = GRADING / "nbgrader_cells.py"


def _grading_modules() -> list[Path]:
    return sorted(path for path in GRADING.rglob("*.py") if "__pycache__" not in path.parts)


def test_only_the_cell_rules_module_reads_nbgrader_metadata():
    reads = re.compile(r"""(get\(|\[)\s*["']nbgrader["']""")
    readers = [p.relative_to(GRADING) for p in _grading_modules() if reads.search(p.read_text())]
    assert readers == [CELL_RULES.relative_to(GRADING)]


def test_only_the_cell_rules_module_spells_the_markers_and_stubs():
    spelled = re.compile(r"""=\s*["'](### (BEGIN|END) |# YOUR CODE HERE|YOUR ANSWER HERE)""")
    spellers = [p.relative_to(GRADING) for p in _grading_modules() if spelled.search(p.read_text())]
    assert spellers == [CELL_RULES.relative_to(GRADING)]


def test_nbgrader_plugins_load_without_the_grading_machinery():
    """formgrader and `nbgrader autograde` import the course's preprocessors and
    cell rules; neither may pull in the grader's kernels or pipeline."""
    script = (
        "import sys\n"
        "import coopcourse.grading.classroom.preprocessors\n"
        "import coopcourse.grading.nbgrader_cells\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(("
        "'coopcourse.grading.pipeline', 'coopcourse.grading.sandbox')))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_every_grading_module_sits_in_its_room():
    top_level = {p.name for p in GRADING.glob("*.py")}
    assert top_level == {
        "__init__.py",
        "authoring.py",
        "checks.py",
        "cli.py",
        "nbgrader_cells.py",
        "result.py",
        "sample_course.py",
        "settings.py",
    }, "a new module belongs in sandbox/, pipeline/ or classroom/"
