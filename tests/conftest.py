"""Shared fixtures. Quiz results from tests go to a temporary file, never to $HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

COURSE_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPCOURSE_PROGRESS_FILE", str(tmp_path / "progress.json"))


@pytest.fixture
def course_root() -> Path:
    return COURSE_ROOT

