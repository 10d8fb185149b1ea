"""Whether a stored result still fits the submission: cheap, safe on any file, and
blind to parts of the course that no grading depends on."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.pipeline import grade as grading
from coopcourse.grading.pipeline import source as source_module
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.grading.result import GradingResult
from coopcourse.grading.settings import load_settings


@pytest.fixture
def submission(tmp_path):
    root = sample.make_course(tmp_path / "course")
    sample.write_submission(root, "s1", sample.student_notebook(root, sample.RIGHT))
    settings = load_settings(root)
    source = load_assignment(settings.source_dir, sample.ASSIGNMENT)
    return settings.folder("submitted", "s1", sample.ASSIGNMENT), source


def test_a_huge_sparse_file_is_fingerprinted_at_once_by_size_and_time(submission):
    folder, source = submission
    big = folder / "big.bin"
    with big.open("wb") as handle:
        handle.truncate(64 * 2**30)  # 64 GB that take no disk space
    started = time.monotonic()
    first = grading.submission_fingerprint(folder, source)
    assert time.monotonic() - started < 5
    os.truncate(big, 64 * 2**30 + 1)
    assert grading.submission_fingerprint(folder, source) != first


def test_links_and_special_files_are_never_opened(submission):
    folder, source = submission
    (folder / "mem").symlink_to("/proc/self/mem")  # reading it fails with EIO
    os.mkfifo(folder / "pipe")  # opening it would wait for a writer
    first = grading.submission_fingerprint(folder, source)
    (folder / "mem").unlink()
    (folder / "mem").symlink_to("/proc/self/environ")
    assert grading.submission_fingerprint(folder, source) != first


def test_any_failure_to_fingerprint_means_not_current(submission, monkeypatch):
    folder, source = submission
    result = GradingResult(student="s1", assignment=sample.ASSIGNMENT, scores={}, max_score=7.0)
    result.fingerprint = grading.submission_fingerprint(folder, source)
    assert grading.is_current(result, folder, source)

    def out_of_memory(path: Path) -> bytes:
        raise MemoryError

    monkeypatch.setattr(grading, "_file_digest", out_of_memory)
    assert not grading.is_current(result, folder, source)


def test_the_website_and_quiz_banks_are_not_grading_inputs(tmp_path, monkeypatch):
    """A typo fixed on the website must not make every stored result outdated."""
    import coopcourse

    package = tmp_path / "coopcourse"
    for part in ("models", "site/pages", "quizbanks"):
        (package / part).mkdir(parents=True)
    (package / "models" / "mutual.py").write_text("RATE = 1\n", encoding="utf-8")
    (package / "site" / "pages" / "index.md").write_text("Welcome\n", encoding="utf-8")
    (package / "site" / "conf.py").write_text("project = 'x'\n", encoding="utf-8")
    (package / "quizbanks" / "01.yaml").write_text("lesson: x\n", encoding="utf-8")
    monkeypatch.setattr(coopcourse, "__path__", [str(package)])

    def fingerprint() -> str:
        source_module.package_fingerprint.cache_clear()
        return source_module.package_fingerprint()

    try:
        before = fingerprint()
        (package / "site" / "pages" / "index.md").write_text("Welcome!\n", encoding="utf-8")
        (package / "site" / "conf.py").write_text("project = 'y'\n", encoding="utf-8")
        (package / "quizbanks" / "01.yaml").write_text("lesson: y\n", encoding="utf-8")
        assert fingerprint() == before
        (package / "models" / "mutual.py").write_text("RATE = 2\n", encoding="utf-8")
        assert fingerprint() != before
    finally:
        source_module.package_fingerprint.cache_clear()
