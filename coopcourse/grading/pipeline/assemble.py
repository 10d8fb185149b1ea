"""Build the notebook that is graded from a submission and the trusted source.

Graded cells are put back in the source's order; learner cells without nbgrader
metadata travel with the graded cell they followed. Test cells and read-only
cells always come from the source (hidden tests included); answers come from the
submission. Every repair is reported as a message for the learner.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import nbformat
from nbformat.corpus.words import generate_corpus_id

from coopcourse.grading.nbgrader_cells import RUBRIC_MARK
from coopcourse.grading.nbgrader_cells import grade_id as cell_grade_id
from coopcourse.grading.pipeline.source import AssignmentSource, SourceCell
from coopcourse.written_answers import grader_checks


@dataclass
class Assembly:
    notebook: nbformat.NotebookNode
    problems: list[str] = field(default_factory=list)
    no_response: list[str] = field(default_factory=list)


def _new_cell(cell_type: str, source: str, metadata: dict):
    # Built directly rather than with nbformat.v4.new_*_cell, which validates each
    # cell against the schema: a notebook of 20,000 cells took 25 s to assemble.
    cell_type = cell_type if cell_type in ("code", "raw") else "markdown"
    cell = {
        "id": generate_corpus_id(),
        "cell_type": cell_type,
        "metadata": metadata,
        "source": source,
    }
    if cell_type == "code":
        cell.update(execution_count=None, outputs=[])
    return nbformat.from_dict(cell)


def _plain_copy(cell):
    """A learner's own cell, outputs cleared and any nbgrader metadata dropped."""
    metadata = {key: value for key, value in cell.get("metadata", {}).items() if key != "nbgrader"}
    return _new_cell(cell.get("cell_type", "code"), _text(cell.get("source", "")), metadata)


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


GRADER_NOTE_HEADINGS = ("Checks for graders", "Rubric for graders", "Grading notes")


def _imitates_grader_notes(cell) -> bool:
    text = _text(cell.get("source", ""))
    return any(heading.lower() in text.lower() for heading in GRADER_NOTE_HEADINGS)


def rubric_cell(source_cell: SourceCell, rubric: dict, answer: str | None = None):
    """The grader's cell under a written answer: mechanical checks of ``answer`` (word
    count, quotations against the seeds), then the rubric with its level descriptors."""
    entry = rubric.get(source_cell.grade_id) or {}
    lines = []
    if answer is not None:
        lines += ["**Checks for graders** (computed, not a mark)", ""]
        lines += grader_checks(answer, entry.get("word_limit"))
        lines.append("")
    lines += [
        f"**Rubric for graders — {source_cell.grade_id} ({source_cell.points:g} points)**",
        "",
    ]
    for criterion in entry.get("criteria", []):
        lines.append(f"- ({criterion.get('points', 0):g}) {criterion.get('text', '')}")
        for level, descriptor in sorted((criterion.get("levels") or {}).items(), reverse=True):
            lines.append(f"    - **{level}:** {descriptor}")
    if not entry:
        lines.append("- (no rubric in rubric.yaml for this answer)")
    return nbformat.v4.new_markdown_cell("\n".join(lines), metadata={RUBRIC_MARK: True})


def assemble(source: AssignmentSource, submission, *, with_rubric: bool = True) -> Assembly:
    """Merge ``submission`` (a notebook node) into the source's structure."""
    problems: list[str] = []
    by_id = source.by_grade_id()
    matched: dict[str, dict] = {}
    followers: dict[str | None, list] = {None: []}
    order: list[str] = []
    current: str | None = None
    for cell in submission.get("cells", []):
        grade_id = cell_grade_id(cell)
        if grade_id in by_id and grade_id not in matched:
            matched[grade_id] = cell
            order.append(grade_id)
            current = grade_id
            followers[current] = []
        else:
            followers.setdefault(current, []).append(cell)

    graded = [cell for cell in source.cells if cell.grade_id]
    source_order = [cell.grade_id for cell in graded if cell.grade_id in matched]
    if order != source_order:
        problems.append("graded cells were moved; they were put back in the original order")

    cells = [_plain_copy(cell) for cell in followers[None]]
    assembly = Assembly(notebook=nbformat.v4.new_notebook(), problems=problems)
    for source_cell in graded:
        given = matched.get(source_cell.grade_id)
        graded_cell = _graded_cell(source_cell, given, assembly)
        cells.append(graded_cell)
        if with_rubric and source_cell.kind == "manual":
            answer = None if source_cell.grade_id in assembly.no_response else graded_cell.source
            cells.append(rubric_cell(source_cell, source.rubric, answer))
        for cell in followers.get(source_cell.grade_id, []):
            if _imitates_grader_notes(cell):
                problems.append(
                    f"a cell added after {source_cell.grade_id} imitates the notes for "
                    "graders; only the notes the grader wrote under each answer count"
                )
            cells.append(_plain_copy(cell))

    notebook = assembly.notebook
    notebook.cells = cells
    notebook.metadata = copy.deepcopy(source.notebook.metadata)
    return assembly


def _graded_cell(source_cell: SourceCell, given, assembly: Assembly):
    metadata = {"nbgrader": dict(source_cell.nbgrader)}
    if source_cell.kind in ("test", "locked"):
        metadata.update(deletable=False, editable=False)
    grade_id = source_cell.grade_id
    if given is None:
        what = {"answer": "answer", "manual": "written answer", "test": "test"}.get(
            source_cell.kind, "read-only"
        )
        assembly.problems.append(
            f"the {what} cell {grade_id} was missing; the original was put back"
        )
        text = (
            source_cell.source
            if source_cell.kind in ("test", "locked")
            else source_cell.release_source
        )
        if source_cell.kind in ("answer", "manual"):
            assembly.no_response.append(grade_id)
        return _new_cell(source_cell.cell_type, text, metadata)

    given_text = _text(given.get("source", ""))
    if source_cell.kind in ("test", "locked"):
        if given_text.strip() != source_cell.release_source.strip():
            assembly.problems.append(
                f"the read-only cell {grade_id} was changed; the original was used"
            )
        return _new_cell(source_cell.cell_type, source_cell.source, metadata)

    if given.get("cell_type") != source_cell.cell_type:
        assembly.problems.append(
            f"the answer cell {grade_id} was changed to a {given.get('cell_type')} cell; "
            "it was not graded"
        )
        assembly.no_response.append(grade_id)
        return _new_cell(source_cell.cell_type, source_cell.release_source, metadata)
    if given_text.strip() == source_cell.release_source.strip():
        assembly.no_response.append(grade_id)
    return _new_cell(source_cell.cell_type, given_text, metadata)
