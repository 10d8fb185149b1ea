"""Calls into nbgrader, with the course's fixes for its known snags.

- nbgrader runs the ``alembic`` command in a child process to learn the schema
  version of each gradebook it creates (about 2 s of CPU every time); the course
  reads the same version in-process from nbgrader's own migration scripts.
- The course command may run without an activated virtual environment, so the
  folder of the running Python (where ``jupyter`` and ``alembic`` are installed)
  is put first on PATH for every subprocess.
- nbgrader's own converters are driven in-process through ``NbGraderAPI`` with
  the course's nbgrader_config.py, so formgrader and the course command see the
  same folders and gradebook.
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

from traitlets.config.loader import PyFileConfigLoader

from coopcourse.grading.settings import CONFIG_NAME, CourseSettings

# nbgrader's own functions that prepare_nbgrader replaced, kept for comparison.
NBGRADER_ORIGINALS: dict = {}


def prepare_nbgrader() -> None:
    """Apply the fixes above; call before anything that may open a gradebook.

    The schema version fix replaces ``nbgrader.api.get_alembic_version`` (nbgrader
    0.9) for the rest of this process; nbgrader's function stays in NBGRADER_ORIGINALS.
    """
    import nbgrader.api

    tools = os.path.dirname(sys.executable)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if tools not in parts:
        os.environ["PATH"] = os.pathsep.join([tools, *[part for part in parts if part]])
    NBGRADER_ORIGINALS.setdefault("get_alembic_version", nbgrader.api.get_alembic_version)
    nbgrader.api.get_alembic_version = gradebook_schema_version


@functools.cache
def gradebook_schema_version() -> str:
    """The newest revision of nbgrader's gradebook schema, as ``alembic heads`` prints it."""
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    return ScriptDirectory(ALEMBIC_DIR).get_current_head()


def nbgrader_config(settings: CourseSettings):
    return PyFileConfigLoader(CONFIG_NAME, path=str(settings.root)).load_config()


def nbgrader_api(settings: CourseSettings, **overrides):
    """An NbGraderAPI on the course; ``overrides`` replace CourseDirectory options."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    prepare_nbgrader()
    config = nbgrader_config(settings)
    for name, value in overrides.items():
        config.CourseDirectory[name] = value
    coursedir = CourseDirectory(config=config)
    return NbGraderAPI(coursedir=coursedir, config=config)


class NbgraderFailed(RuntimeError):
    pass


def _raise_on_failure(result: dict, what: str) -> dict:
    if not result.get("success"):
        raise NbgraderFailed(f"nbgrader {what} failed:\n{result.get('error') or result.get('log')}")
    return result


def generate_assignment(settings: CourseSettings, assignment: str) -> str:
    """Regenerate ``exercises/<assignment>`` and record the assignment in the gradebook."""
    result = nbgrader_api(settings).generate_assignment(assignment, force=True, create=True)
    return _raise_on_failure(result, "generate_assignment").get("log", "")


def sync_gradebook(settings: CourseSettings, assignment: str) -> None:
    """Record the assignment's cells in the gradebook without touching exercises/."""
    if gradebook_knows(settings, assignment):
        return
    with tempfile.TemporaryDirectory(prefix="coopcourse-release-") as scratch:
        api = nbgrader_api(settings, release_directory=str(Path(scratch) / "release"))
        _raise_on_failure(
            api.generate_assignment(assignment, force=True, create=True), "generate_assignment"
        )


def gradebook_knows(settings: CourseSettings, assignment: str) -> bool:
    """True if the gradebook holds this assignment with the source's current cells."""
    from nbgrader.api import MissingEntry

    # Imported here: the gradebook module imports this one.
    from coopcourse.grading.classroom.gradebook import open_gradebook
    from coopcourse.grading.pipeline.source import load_assignment

    source = load_assignment(settings.source_dir, assignment)
    with open_gradebook(settings) as gradebook:
        try:
            notebook = gradebook.find_notebook(source.notebook_name, assignment)
        except MissingEntry:
            return False
        known = {cell.name: cell.source for cell in notebook.source_cells}
    wanted = {cell.grade_id: cell.source for cell in source.cells if cell.grade_id}
    return known == wanted
