"""Read one learner's submitted notebook, or say clearly why it cannot be graded."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat


class SubmissionUnreadable(ValueError):
    """The submission cannot be graded; the message is shown to the learner."""


@dataclass
class SubmittedNotebook:
    path: Path
    notebook: nbformat.NotebookNode
    problems: list[str] = field(default_factory=list)


def find_notebook(folder: Path, notebook_name: str) -> tuple[Path, list[str]]:
    """The submitted file to grade, tolerating a renamed notebook (reported)."""
    expected = folder / f"{notebook_name}.ipynb"
    if expected.is_file():
        return expected, []
    if not folder.is_dir():
        raise SubmissionUnreadable(f"no submission folder {folder.name}")
    others = sorted(path for path in folder.glob("*.ipynb") if path.is_file())
    if len(others) == 1:
        return others[0], [
            f"wrong file name: {others[0].name} was submitted instead of {expected.name}; "
            "it was graded anyway"
        ]
    listing = ", ".join(sorted(path.name for path in folder.iterdir())) or "nothing"
    if others:
        raise SubmissionUnreadable(
            f"missing notebook {expected.name}: found several notebooks ({listing}), "
            "so none was graded"
        )
    raise SubmissionUnreadable(f"missing notebook {expected.name}: the submission holds {listing}")


MAX_NOTEBOOK_BYTES = 50 * 2**20


def read_submission(folder: Path, notebook_name: str) -> SubmittedNotebook:
    path, problems = find_notebook(folder, notebook_name)
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        raise SubmissionUnreadable(
            f"{path.name} is {size // 2**20} MB, more than the {MAX_NOTEBOOK_BYTES // 2**20} MB a "
            "notebook may have; clear its outputs (Edit > Clear Outputs of All Cells) and resubmit"
        )
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SubmissionUnreadable(
            f"{path.name} is not UTF-8 text (byte {error.start}); a notebook must be saved "
            "by Jupyter, not converted or edited by another program"
        ) from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise SubmissionUnreadable(
            f"{path.name} is not valid JSON (line {error.lineno}, column {error.colno}): "
            "the file is damaged, perhaps edited by hand or cut short"
        ) from None
    if not isinstance(raw, dict) or "cells" not in raw or "nbformat" not in raw:
        raise SubmissionUnreadable(f"{path.name} is JSON but not a Jupyter notebook")
    try:
        # JSON may spell a lone surrogate ("\\ud800"), which no UTF-8 file can hold.
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise SubmissionUnreadable(
            f"{path.name} holds text that is not valid Unicode (a lone surrogate escape); "
            "a notebook must be saved by Jupyter, not converted or edited by another program"
        ) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            notebook = nbformat.reads(text, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type not in ("code", "markdown", "raw") or not isinstance(
                cell.source, str
            ):
                raise ValueError("malformed cell")
    except Exception as error:  # nbformat raises several kinds of validation errors
        raise SubmissionUnreadable(
            f"{path.name} is not a valid Jupyter notebook ({type(error).__name__})"
        ) from None
    return SubmittedNotebook(path=path, notebook=notebook, problems=problems)
