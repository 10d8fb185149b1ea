"""Re-execute lesson notebooks and save them with outputs, ready for nbval and GitHub.

Usage: ``coopcourse execute-lessons [NOTEBOOK ...]`` (all of ``lessons/`` by default).

Each notebook is run top to bottom in its own folder, widget state is not
stored (saved widget state breaks GitHub's renderer) and the run-specific
metadata that would make every save a diff is removed.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

COURSE_ROOT = Path(__file__).resolve().parent.parent
KERNEL_NAME = "python3"


def clean_metadata(notebook) -> None:
    """Drop saved widget state and per-run timing so saves are reproducible."""
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            for output in cell.get("outputs", []):
                output.get("metadata", {}).pop("execution", None)


def execute_notebook(path: Path, timeout: int = 300) -> None:
    """Execute ``path`` in place, without recording quiz progress."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name=KERNEL_NAME,
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
    )
    # A kernel given ``env`` gets exactly that environment, so extend ours.
    client.execute(env={**os.environ, "COOPCOURSE_SAVE_PROGRESS": "0"})
    clean_metadata(notebook)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def lesson_notebooks(root: Path = COURSE_ROOT) -> list[Path]:
    return sorted((root / "lessons").glob("[0-9][0-9]_*.ipynb"))


def execute_lessons(paths: list[str] | None = None) -> list[Path]:
    targets = [Path(p) for p in paths] if paths else lesson_notebooks()
    if not targets:
        raise FileNotFoundError("No lesson notebooks found to execute")
    for path in targets:
        print(f"Executing {path} ...", flush=True)
        execute_notebook(path)
    return targets
