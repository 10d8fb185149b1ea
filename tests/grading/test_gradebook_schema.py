"""A new gradebook gets nbgrader's schema version without a child ``alembic`` process."""

from __future__ import annotations

import functools

import nbgrader.api
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, text

from coopcourse.grading.classroom.nbgrader_bridge import (
    NBGRADER_ORIGINALS,
    gradebook_schema_version,
    prepare_nbgrader,
)


@functools.cache  # nbgrader's child alembic process costs about 2 s of CPU
def _nbgrader_own_version() -> str:
    """What nbgrader itself would stamp (its function runs ``alembic heads``)."""
    prepare_nbgrader()  # keeps nbgrader's function and puts alembic on PATH
    return NBGRADER_ORIGINALS["get_alembic_version"]()


def test_the_in_process_version_is_the_one_nbgrader_reads():
    assert gradebook_schema_version() == _nbgrader_own_version()


def test_a_new_gradebook_is_stamped_without_running_alembic(tmp_path, monkeypatch):
    def no_child_processes(*args, **kwargs):
        raise AssertionError(f"nbgrader ran {args[0]!r}")

    expected = _nbgrader_own_version()
    # nbgrader.api calls subprocess through its own name for the module
    monkeypatch.setattr(nbgrader.api.sp, "check_output", no_child_processes)
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url):
        pass
    with create_engine(db_url).connect() as connection:
        stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert stamped == expected
