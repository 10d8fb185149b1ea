"""A stored grading result reads back equal, and a damaged one reads as missing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields

import pytest

from coopcourse.grading.result import GradingResult, ScoredCheck


def _result() -> GradingResult:
    return GradingResult(
        student="s1",
        assignment="fx_demo",
        scores={"q1_tests": 1.5, "q3_answer": None},
        max_score=7.0,
        timestamp="2026-10-01 12:00:00 Europe/London",
        problems=["your cell after q1_answer was stopped after 4 s (an endless loop?)"],
        learner_problems=["your cell after q1_answer was stopped after 4 s (an endless loop?)"],
        checks=[ScoredCheck("fx_demo.q1.1", "q1_tests", False, True, "passed")],
        no_response=["q2_answer"],
        solution_ids=["q1_answer", "q2_answer", "q3_answer"],
        seconds=1.25,
    )


def test_a_stored_result_reads_back_equal():
    result = _result()
    assert GradingResult.from_json(result.to_json()) == result


@pytest.mark.parametrize(
    "field, value",
    [
        ("attempts", "2"),
        ("attempts", True),
        ("scores", [1]),
        ("scores", {"q1_tests": "1"}),
        ("max_score", None),
        ("problems", "one problem"),
        ("learner_problems", [1]),
        ("sandboxed", "yes"),
        ("checks", [{"check_id": "x"}]),
        ("timestamp", 5),
    ],
)
def test_a_result_with_a_wrongly_typed_field_reads_as_missing(field, value):
    data = json.loads(_result().to_json())
    data[field] = value
    assert GradingResult.from_json(json.dumps(data)) is None


def test_an_older_format_or_damaged_file_reads_as_missing():
    data = json.loads(_result().to_json())
    assert GradingResult.from_json(json.dumps({**data, "format": 1})) is None
    assert GradingResult.from_json(_result().to_json()[:-5]) is None
    assert GradingResult.from_json("[]") is None


@pytest.mark.parametrize("name", [f.name for f in fields(GradingResult)])
def test_every_field_is_checked(name):
    """A value no annotation accepts, in any field, makes the file read as missing."""
    data = json.loads(_result().to_json())
    data[name] = {"x": [[]]}
    assert GradingResult.from_json(json.dumps(data)) is None


def test_every_field_of_a_stored_check_is_checked():
    for name in (f.name for f in fields(ScoredCheck)):
        data = json.loads(_result().to_json())
        data["checks"][0][name] = {"x": [[]]}
        assert GradingResult.from_json(json.dumps(data)) is None, name


@dataclass
class _WithANewField(GradingResult):
    reviewers: list[int] = field(default_factory=list)
    note: str | None = None


def test_a_new_field_is_checked_from_its_annotation_alone():
    result = _WithANewField(**{f.name: getattr(_result(), f.name) for f in fields(GradingResult)})
    result.reviewers, result.note = [3, 4], "seen"
    assert _WithANewField.from_json(result.to_json()) == result
    for name, wrong in [("reviewers", ["3"]), ("reviewers", [True]), ("note", 5)]:
        data = json.loads(result.to_json())
        data[name] = wrong
        assert _WithANewField.from_json(json.dumps(data)) is None, (name, wrong)


@dataclass
class _WithAnUnknownForm(GradingResult):
    pair: tuple[int, int] = (0, 0)


def test_a_field_of_a_form_the_reader_lacks_fails_loudly():
    # Reading every result as missing would quietly grade the whole class again.
    text = _WithAnUnknownForm(
        **{f.name: getattr(_result(), f.name) for f in fields(GradingResult)}
    ).to_json()
    with pytest.raises(NotImplementedError, match="pair"):
        _WithAnUnknownForm.from_json(text)


@pytest.mark.parametrize("status", ["graded", "unreadable", "error"])
def test_each_known_status_reads_back(status):
    data = json.loads(_result().to_json())
    data["status"] = status
    assert GradingResult.from_json(json.dumps(data)).status == status


@pytest.mark.parametrize("status", ["finished", "", "GRADED"])
def test_a_result_with_an_unknown_status_reads_as_missing(status):
    """Every later stage decides by status (marks or none); an unknown one is no result."""
    data = json.loads(_result().to_json())
    data["status"] = status
    assert GradingResult.from_json(json.dumps(data)) is None


def test_a_result_is_written_under_a_temporary_name_of_its_own(tmp_path):
    """Two writers of one result never share a temporary file: another writer's
    temporary file (here a folder, to make a clash visible) is left alone."""
    from coopcourse.grading.pipeline.grade import _write_atomic

    path = tmp_path / "result.json"
    (tmp_path / "result.json.partial").mkdir()
    _write_atomic(path, "first")
    _write_atomic(path, "second")
    assert path.read_text(encoding="utf-8") == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json", "result.json.partial"]
