"""Quiz progress kept across Binder sessions: copy it out, bring it back, nothing lost."""

from __future__ import annotations

import json

import pytest

from coopcourse.cli import main
from coopcourse.quiz.progress import (
    keep_progress,
    load_progress,
    record_attempt,
    restore_progress,
)


@pytest.fixture
def store(tmp_path, monkeypatch):
    path = tmp_path / "home" / "progress.json"
    monkeypatch.setenv("COOPCOURSE_PROGRESS_FILE", str(path))
    return path


def test_kept_copy_restores_into_a_new_session(store, tmp_path, monkeypatch):
    record_attempt("01_the_policy", "plan-in-brief", False)
    record_attempt("01_the_policy", "plan-in-brief", True)
    monkeypatch.chdir(tmp_path)
    kept = keep_progress()
    assert kept.path == tmp_path / "my-quiz-progress.json"
    assert "Download" in repr(kept) and "restore_progress" in repr(kept)

    store.unlink()  # the Binder session ends
    message = restore_progress(kept.path)
    assert message == "Restored results for 1 questions from my-quiz-progress.json."
    assert load_progress() == {"01_the_policy": {"plan-in-brief": {"attempts": 2,
                                                                   "correct": True}}}


def test_restoring_merges_and_is_idempotent(store, tmp_path):
    record_attempt("02_labour_response", "q1", True)
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps({
        "02_labour_response": {"q1": {"correct": False, "attempts": 3},
                               "q2": {"correct": True, "attempts": 1}},
    }))
    restore_progress(kept)
    restore_progress(kept)
    assert load_progress() == {"02_labour_response": {
        "q1": {"correct": True, "attempts": 3},
        "q2": {"correct": True, "attempts": 1},
    }}


@pytest.mark.parametrize("content", ["not json", "[1, 2]", '{"l": {"q": {"correct": "yes"}}}',
                                     '{"l": {"q": {"correct": true, "attempts": -1}}}'])
def test_a_bad_file_is_refused_and_changes_nothing(store, tmp_path, content):
    record_attempt("01_the_policy", "plan-in-brief", True)
    before = store.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    with pytest.raises(ValueError, match="not a quiz-progress file"):
        restore_progress(bad)
    assert store.read_bytes() == before


def test_a_missing_file_says_to_upload_it(store, tmp_path):
    with pytest.raises(FileNotFoundError, match="upload"):
        restore_progress(tmp_path / "absent.json")


def test_command_keeps_and_restores(store, tmp_path, capsys):
    record_attempt("01_the_policy", "plan-in-brief", True)
    kept = tmp_path / "copy.json"
    assert main(["progress", "--keep", str(kept)]) == 0
    store.unlink()
    assert main(["progress", "--restore", str(kept)]) == 0
    assert "Restored results for 1 questions" in capsys.readouterr().out
    assert main(["progress", "--restore", str(tmp_path / "absent.json")]) == 1
    assert "upload" in capsys.readouterr().err
