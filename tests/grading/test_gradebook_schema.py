"""A new gradebook gets nbgrader's schema version without a child ``alembic`` process."""

from __future__ import annotations

import functools
import subprocess

import nbgrader.api
from nbgrader.api import Gradebook
from nbgrader.dbutil import _temp_alembic_ini
from sqlalchemy import create_engine, text

from coopcourse.grading.classroom.nbgrader_bridge import gradebook_schema_version, prepare_nbgrader


@functools.cache  # a child alembic process costs about 2 s of CPU
def _alembic_heads() -> str:
    """What nbgrader itself would stamp: the first word of ``alembic heads``."""
    with _temp_alembic_ini("sqlite:////tmp/unused.db") as ini:
        output = subprocess.check_output(["alembic", "-c", ini, "heads"], text=True)
    return output.split("\n")[0].split(" ")[0]


def test_the_in_process_version_is_the_one_alembic_prints():
    assert gradebook_schema_version() == _alembic_heads()


def test_a_new_gradebook_is_stamped_without_running_alembic(tmp_path, monkeypatch):
    def no_child_processes(*args, **kwargs):
        raise AssertionError(f"nbgrader ran {args[0]!r}")

    expected = _alembic_heads()
    prepare_nbgrader()
    # nbgrader.api calls subprocess through its own name for the module
    monkeypatch.setattr(nbgrader.api.sp, "check_output", no_child_processes)
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db_url):
        pass
    with create_engine(db_url).connect() as connection:
        stamped = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    assert stamped == expected
