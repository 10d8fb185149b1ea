"""One error for every course data file: built from (file, message, item id), worded alike."""

from __future__ import annotations

import pytest

from coopcourse.data import DataFileError, required_text
from coopcourse.glossary import GlossaryError
from coopcourse.quiz.bank import BankError
from coopcourse.timeline import TimelineError


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DataFileError("data.yaml", "is wrong", "x"), "data.yaml, entry 'x': is wrong"),
        (BankError("bank.yaml", "is wrong", "q1"), "bank.yaml, question 'q1': is wrong"),
        (GlossaryError("glossary.yaml", "is wrong", "Spin-out"),
         "glossary.yaml, term 'Spin-out': is wrong"),
        (TimelineError("timeline.yaml", "is wrong", "3 ('Bill')"),
         "timeline.yaml, event 3 ('Bill'): is wrong"),
    ],
)
def test_every_data_error_names_file_and_item_the_same_way(error, expected):
    assert isinstance(error, DataFileError)
    assert str(error) == expected
    assert error.path == expected.split(",")[0]


@pytest.mark.parametrize("kind", [DataFileError, BankError, GlossaryError, TimelineError])
def test_without_an_item_the_message_names_only_the_file(kind):
    error = kind("file.yaml", "is not valid YAML")
    assert str(error) == "file.yaml: is not valid YAML"
    assert error.item_id is None


def test_a_bank_error_still_gives_its_question_id():
    assert BankError("bank.yaml", "is wrong", "q1").question_id == "q1"


def test_required_text_raises_the_given_error_with_file_and_item():
    with pytest.raises(TimelineError) as caught:
        required_text({"label": "  "}, "label", "2 ('x')", "timeline.yaml", TimelineError)
    assert str(caught.value) == "timeline.yaml, event 2 ('x'): needs a non-empty 'label'"
    text = required_text({"label": " a\n b "}, "label", "2", "timeline.yaml", TimelineError)
    assert text == "a b"
