"""Lessons are saved executed, without widget state, and call every question of their bank."""

from __future__ import annotations

import re

import pytest

from coopcourse.quiz import load_bank
from tests.lesson_files import LESSONS, read

QUESTION_CALL = re.compile(r"""quiz\.question\(\s*["']([^"']+)["']\s*\)""")


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_saved_executed_without_widget_state(lesson):
    notebook = read(lesson)
    assert "widgets" not in notebook.metadata, "saved widget state breaks GitHub's renderer"
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            assert cell.execution_count is not None, f"cell {number} saved unexecuted"
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"cell {number} saved with an error"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_execution_counts_run_in_order(lesson):
    counts = [c.execution_count for c in read(lesson).cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "re-run with `coopcourse execute-lessons`"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_bank_question_is_asked_once(lesson):
    code = "\n".join(c.source for c in read(lesson).cells if c.cell_type == "code")
    asked = QUESTION_CALL.findall(code)
    bank_ids = [q.id for q in load_bank(lesson.stem).questions]
    assert sorted(asked) == sorted(bank_ids), "each question of the bank is shown exactly once"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_quiz_output_has_a_readable_text_fallback(lesson):
    for cell in read(lesson).cells:
        if cell.cell_type == "code" and QUESTION_CALL.search(cell.source):
            (output,) = cell.outputs
            assert output.data["text/plain"].startswith("Question ")
            assert "…" not in output.data["text/plain"], "text fallback was truncated"


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_quote_attribution_renders_as_its_own_paragraph(lesson):
    # Consecutive "> " lines join into one paragraph; without an empty ">" line
    # the attribution runs on from the end of the quotation.
    from coopcourse.citations import ATTRIBUTION_LINE

    for cell in read(lesson).cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.split("\n")
        for before, line in zip(lines, lines[1:], strict=False):
            if ATTRIBUTION_LINE.match(line):
                assert before.strip() == ">", f"put an empty '>' line before: {line[:60]!r}"
