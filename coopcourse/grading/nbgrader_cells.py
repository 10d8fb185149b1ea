"""nbgrader's cell format, in one place: cell kinds, markers, stubs, and the course's marks.

An assignment notebook is an nbgrader notebook: each graded cell carries
``metadata.nbgrader`` (``grade_id``, ``grade``, ``solution``, ``points``,
``locked``, ``task``), answers sit between solution markers, and hidden tests
between hidden-test markers. Everything that reads or writes that format (the
grading pipeline, the nbgrader preprocessors, ``nbgrader_config.py``, the tests)
takes these rules from here. This module imports nothing heavy, so nbgrader's
own tools can load it cheaply.
"""

from __future__ import annotations

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"

# What a learner receives in place of a solution (nbgrader's ClearSolutions stubs).
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
TEXT_STUB = "YOUR ANSWER HERE"

# Cells the course adds to an autograded notebook, marked so feedback can drop them.
RUBRIC_MARK = "coopcourse_rubric"  # a written answer's rubric and checks for graders
NOTES_MARK = "coopcourse_notes"  # the grader's notes on a submission's problems

# The kinds of cell, from nbgrader's flags.
ANSWER, TEST, MANUAL, LOCKED, PLAIN = "answer", "test", "manual", "locked", "plain"


def nbgrader_metadata(cell) -> dict:
    """The cell's nbgrader flags ({} for a cell nbgrader does not know)."""
    # A submitted notebook's metadata is learner-controlled: anything but a dict is none.
    metadata = cell.get("metadata", {})
    meta = metadata.get("nbgrader", {}) if isinstance(metadata, dict) else {}
    return meta if isinstance(meta, dict) else {}


def grade_id(cell) -> str | None:
    value = nbgrader_metadata(cell).get("grade_id")
    return value if isinstance(value, str) else None


def cell_kind(cell) -> str:
    """answer (solution), test (autograded), manual (hand-marked), locked or plain."""
    meta = nbgrader_metadata(cell)
    grade, solution = bool(meta.get("grade")), bool(meta.get("solution"))
    if meta.get("task") or (grade and solution):
        return MANUAL
    if grade:
        return TEST
    if solution:
        return ANSWER
    if meta.get("locked"):
        return LOCKED
    return PLAIN


def is_test_cell(cell) -> bool:
    """An autograded code cell: graded, not an answer."""
    return cell.get("cell_type") == "code" and cell_kind(cell) == TEST


def has_hidden_tests(cell) -> bool:
    return cell.get("cell_type") == "code" and BEGIN_HIDDEN in cell.get("source", "")


def replace_region(source: str, begin: str, end: str, stub: str | None) -> str:
    """Replace (stub) or drop (None) the lines between begin and end markers."""
    out, inside = [], False
    for line in source.split("\n"):
        if begin in line:
            inside = True
            if stub is not None:
                indent = line[: len(line) - len(line.lstrip())]
                out.extend(indent + part for part in stub.split("\n"))
            continue
        if end in line:
            inside = False
            continue
        if not inside:
            out.append(line)
    return "\n".join(out)


def without_hidden_tests(source: str) -> str:
    return replace_region(source, BEGIN_HIDDEN, END_HIDDEN, None)


def hidden_lines(source: str) -> list[str]:
    """The non-blank lines between hidden-test markers, stripped."""
    inside, hidden = False, []
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif inside and line.strip():
            hidden.append(line.strip())
    return hidden


def release_text(cell, kind: str) -> str:
    """The text a learner receives for this cell (as nbgrader's release makes it)."""
    source = cell.source
    if kind in (ANSWER, MANUAL):
        stub = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
        if BEGIN_SOLUTION in source:
            return replace_region(source, BEGIN_SOLUTION, END_SOLUTION, stub)
        return stub
    if kind == TEST:
        return without_hidden_tests(source)
    return source
