"""A small sample course in the assignment format, for tests, benchmarks and demos.

``make_course(folder)`` writes a course folder (nbgrader_config.py, one source
assignment with visible and hidden tests, a written answer and its rubric);
``write_submission`` writes a learner's notebook into ``submitted/``, built from
the released exercise with chosen answers.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from coopcourse.grading.pipeline.source import load_assignment

ASSIGNMENT = "fx_demo"

CONFIG = """import os
from coopcourse.grading.classroom.preprocessors import AUTOGRADE_SANITIZERS, FEEDBACK_PREPROCESSORS
c = get_config()  # noqa: F821
ROOT = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = ROOT
c.CourseDirectory.course_id = "sample"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "rubric.yaml"]
c.Autograde.sanitize_preprocessors = list(AUTOGRADE_SANITIZERS)
c.GenerateFeedback.preprocessors = list(FEEDBACK_PREPROCESSORS)
c.Execute.timeout = {cell_timeout}
c.CourseGrader.cell_timeout = {cell_timeout}
c.CourseGrader.submission_seconds = {submission_seconds}
c.CourseGrader.cpu_seconds = {cpu_seconds}
c.CourseGrader.memory_mb = 1024
c.CourseGrader.file_size_mb = 5
c.CourseGrader.output_limit_kb = 64
c.CourseGrader.workers = {workers}
"""

RIGHT = {
    "q1_answer": "def double(x):\n    return 2 * x",
    "q2_answer": 'WORDS = ("mutual", "co-op")',
    "q3_answer": "A mutual is owned by its members, so staff share in decisions.",
}
WRONG = {
    "q1_answer": "def double(x):\n    return x + 1",
    "q2_answer": 'WORDS = ["mutual", "co-op"]',
    "q3_answer": "I do not know.",
}
PARTIAL = {
    "q1_answer": "def double(x):\n    return x * 2 if isinstance(x, (int, float)) else None",
    "q2_answer": 'WORDS = ("mutual", "co-op")',
}


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=0) -> dict:
    meta = {
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "grade_id": grade_id,
        "schema_version": 3,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook() -> nbformat.NotebookNode:
    new_code, new_md = nbformat.v4.new_code_cell, nbformat.v4.new_markdown_cell
    cells = [
        new_md("# Sample assignment\nAnswer each question; run the visible tests."),
        new_code(
            "from coopcourse.grading.checks import check", metadata=_meta("setup", locked=True)
        ),
        new_md("**Q1.** Write `double(x)` returning twice `x`."),
        new_code(
            "def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
            metadata=_meta("q1_answer", solution=True),
        ),
        new_code(
            'from coopcourse.grading.checks import check\ncheck("fx_demo.q1.1", double(2), 4)',
            metadata=_meta("q1_visible", grade=True, locked=True, points=1),
        ),
        new_code(
            "from coopcourse.grading.checks import check\n"
            "### BEGIN HIDDEN TESTS\n"
            'check("fx_demo.q1.2", double(-3.5), -7.0)\n'
            'check("fx_demo.q1.3", double("zq"), "zqzq")\n'
            "### END HIDDEN TESTS",
            metadata=_meta("q1_hidden", grade=True, locked=True, points=2),
        ),
        new_md("**Q2.** Set `WORDS` to the tuple of the two key words."),
        new_code(
            '### BEGIN SOLUTION\nWORDS = ("mutual", "co-op")\n### END SOLUTION',
            metadata=_meta("q2_answer", solution=True),
        ),
        new_code(
            "from coopcourse.grading.checks import check\n"
            'check("fx_demo.q2.1", len(WORDS), 2)\n'
            "### BEGIN HIDDEN TESTS\n"
            'check("fx_demo.q2.2", WORDS, ("mu" + "tual", "co-op"))\n'
            "### END HIDDEN TESTS",
            metadata=_meta("q2_tests", grade=True, locked=True, points=2),
        ),
        new_md("**Q3.** In one sentence: who owns a mutual?"),
        new_md(
            "### BEGIN SOLUTION\nIts members own it.\n### END SOLUTION",
            metadata=_meta("q3_answer", grade=True, solution=True, points=2),
        ),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return notebook


RUBRIC = {
    "q3_answer": {
        "points": 2,
        "criteria": [
            {"points": 1, "text": "Says that members own the mutual."},
            {"points": 1, "text": "Connects ownership to staff having a say."},
        ],
    }
}


def make_course(
    root: Path,
    *,
    cell_timeout: int = 10,
    cpu_seconds: int = 30,
    workers: int = 0,
    submission_seconds: int = 300,
) -> Path:
    """Write a sample course into ``root``; return ``root``."""
    folder = root / "solutions" / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(source_notebook(), folder / f"{ASSIGNMENT}.ipynb")
    (folder / "rubric.yaml").write_text(json.dumps(RUBRIC, indent=1), encoding="utf-8")
    (root / "nbgrader_config.py").write_text(
        CONFIG.format(
            cell_timeout=cell_timeout,
            cpu_seconds=cpu_seconds,
            workers=workers,
            submission_seconds=submission_seconds,
        ),
        encoding="utf-8",
    )
    return root


def student_notebook(root: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released exercise with ``answers`` (grade_id -> source) filled in."""
    source = load_assignment(root / "solutions", ASSIGNMENT)
    notebook = nbformat.v4.new_notebook(metadata=dict(source.notebook.metadata))
    for cell in source.cells:
        text = answers.get(cell.grade_id, cell.release_source) if cell.grade_id else cell.source
        metadata = {"nbgrader": dict(cell.nbgrader)} if cell.grade_id else {}
        if cell.cell_type == "code":
            notebook.cells.append(nbformat.v4.new_code_cell(text, metadata=metadata))
        else:
            notebook.cells.append(nbformat.v4.new_markdown_cell(text, metadata=metadata))
    return notebook


def write_submission(
    root: Path,
    student: str,
    content: nbformat.NotebookNode | bytes | str,
    name: str = f"{ASSIGNMENT}.ipynb",
) -> Path:
    folder = root / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(content, nbformat.NotebookNode):
        nbformat.write(content, path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m coopcourse.grading.sample_course FOLDER``: a course to try the commands on."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folder", help="new or empty folder for the sample course")
    root = Path(parser.parse_args(argv).folder).resolve()
    if root.exists() and any(root.iterdir()):
        parser.error(f"{root} is not empty")
    make_course(root)
    for student, answers in (("ada", RIGHT), ("ben", WRONG), ("cleo", PARTIAL), ("dev", {})):
        write_submission(root, student, student_notebook(root, answers))
    print(f"sample course in {root}; try: cd {root} && coopcourse class autograde {ASSIGNMENT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
