"""Preprocessors that fix two nbgrader 0.9 snags when nbgrader's own tools are used.

They are switched on in the course's nbgrader_config.py, so ``nbgrader
autograde`` and formgrader's buttons behave better on this course too:

- ``QuietOverwriteCells``: nbgrader stores a test cell's checksum with its hidden
  tests, but learners receive the cell without them, so every honest submission
  triggers "Attribute 'checksum' for cell ... has changed!". This version stays
  quiet when the submitted cell is exactly the released one and still warns
  about real tampering.
- ``HideHiddenTests``: nbgrader's feedback shows hidden tests and their
  tracebacks. This strips hidden test lines and test-cell outputs, and the
  graders' rubric and notes, before feedback is rendered.
"""

from __future__ import annotations

import nbformat
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells

from coopcourse.grading.nbgrader_cells import (
    NOTES_MARK,
    RUBRIC_MARK,
    grade_id,
    has_hidden_tests,
    is_test_cell,
    without_hidden_tests,
)


class QuietOverwriteCells(OverwriteCells):
    """OverwriteCells without the false checksum warning on hidden-test cells."""

    _released_unchanged = False

    def preprocess_cell(self, cell, resources, cell_index):
        test_id = grade_id(cell)
        self._released_unchanged = False
        if test_id is not None and utils.is_locked(cell):
            try:
                source_cell = self.gradebook.find_source_cell(
                    test_id, self.notebook_id, self.assignment_id
                )
            except Exception:  # noqa: BLE001 - the parent class reports unknown cells
                source_cell = None
            if source_cell is not None:
                released = without_hidden_tests(source_cell.source)
                self._released_unchanged = cell.source.strip() == released.strip()
        return super().preprocess_cell(cell, resources, cell_index)

    def report_change(self, name, attr, old, new) -> None:
        if attr == "checksum" and self._released_unchanged:
            self.log.debug("Cell %s is the released version; hidden tests restored", name)
            return
        super().report_change(name, attr, old, new)


class HideHiddenTests(NbGraderPreprocessor):
    """Remove hidden tests, test outputs, rubric and grading notes from feedback.

    Learner code can keep the inputs a hidden test passed to it and print them in
    a later cell, so outputs of cells after the first hidden test are removed too.
    """

    def preprocess(self, nb, resources):
        nb.cells = [
            cell
            for cell in nb.cells
            if not cell.metadata.get(RUBRIC_MARK) and not cell.metadata.get(NOTES_MARK)
        ]
        self._after_hidden = False
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        if is_test_cell(cell):
            had_hidden = has_hidden_tests(cell)
            self._after_hidden = self._after_hidden or had_hidden
            cell.source = without_hidden_tests(cell.source)
            note = "Results of the tests are listed in the score above."
            if had_hidden:
                note += " Hidden tests are not shown."
            cell.outputs = [_stream(note)]
        elif cell.cell_type == "code" and self._after_hidden and cell.outputs:
            cell.outputs = [_stream("(output not shown in feedback)")]
        return cell, resources


def _stream(text: str):
    return nbformat.v4.new_output("stream", name="stdout", text=text + "\n")


# The preprocessors the course's nbgrader_config.py switches on, kept here so
# every course configuration (the real one, the sample course) uses the same.
AUTOGRADE_SANITIZERS = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "coopcourse.grading.classroom.preprocessors.QuietOverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]
FEEDBACK_PREPROCESSORS = [
    "coopcourse.grading.classroom.preprocessors.HideHiddenTests",
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
