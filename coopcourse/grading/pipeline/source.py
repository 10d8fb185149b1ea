"""Read an assignment's source notebook: its graded cells, their checks and release text.

The source notebook (``solutions/<a>/<a>.ipynb``) is trusted. Test cells are
always taken from it, never from a submission, and each ``check(id, actual,
expected)`` call in them is found with the ``ast`` module so the grader can
rewrite it (see :mod:`coopcourse.grading.sandbox.rewrite`).
"""

from __future__ import annotations

import ast
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from coopcourse.grading.nbgrader_cells import (
    cell_kind,
    hidden_lines,
    nbgrader_metadata,
    release_text,
)
from coopcourse.grading.nbgrader_cells import (
    grade_id as cell_grade_id,
)


class AssignmentError(ValueError):
    """The assignment's source is not in the course format."""


@dataclass(frozen=True)
class CheckSpec:
    check_id: str
    grade_id: str
    hidden: bool
    rel_tol: float
    actual_source: str


@dataclass
class SourceCell:
    index: int
    cell_type: str
    kind: str  # "answer", "test", "manual", "locked" or "plain"
    grade_id: str | None
    points: float
    source: str
    release_source: str
    nbgrader: dict
    checks: list[CheckSpec] = field(default_factory=list)
    hidden_lines: list[str] = field(default_factory=list)


@dataclass
class AssignmentSource:
    name: str
    notebook_name: str
    path: Path
    sha256: str
    notebook: nbformat.NotebookNode
    cells: list[SourceCell]
    rubric: dict

    @property
    def own_names(self) -> frozenset[str]:
        """Names bound at any level by the source's non-test code cells."""
        names: set[str] = set()
        for cell in self.cells:
            if cell.cell_type != "code" or cell.kind == "test":
                continue
            try:
                tree = ast.parse(python_source(cell.source))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                    names.add(node.name)
                elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                    names.add(node.id)
                elif isinstance(node, ast.alias):
                    names.add((node.asname or node.name).split(".")[0])
        return frozenset(names)

    def graded(self, kind: str) -> list[SourceCell]:
        return [cell for cell in self.cells if cell.kind == kind]

    def by_grade_id(self) -> dict[str, SourceCell]:
        return {cell.grade_id: cell for cell in self.cells if cell.grade_id}

    @property
    def checks(self) -> list[CheckSpec]:
        return [check for cell in self.graded("test") for check in cell.checks]

    @property
    def max_score(self) -> float:
        return sum(cell.points for cell in self.cells if cell.kind in ("test", "manual"))


# Lines IPython would rewrite: magics (%, !), help (?), and their assignments (x = !ls).
_IPYTHON_SYNTAX = re.compile(r"^\s*[%!]|\?\s*$|=\s*[%!]", re.MULTILINE)


def python_source(cell_source: str) -> str:
    """Cell text as plain Python (IPython magics translated)."""
    if not _IPYTHON_SYNTAX.search(cell_source):
        return cell_source  # plain Python already (and IPython need not be imported)
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(cell_source)


def is_check_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) == "check"
    )


def parse_checks(source: str, grade_id: str) -> list[CheckSpec]:
    """Find every check(...) call of a test cell; raise AssignmentError if malformed."""
    hidden = set(hidden_lines(source))
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError as error:
        raise AssignmentError(f"test cell {grade_id} is not valid Python: {error}") from None
    lines = python_source(source).split("\n")
    checks = []
    for node in ast.walk(tree):
        if not is_check_call(node):
            continue
        if len(node.args) != 3 or not isinstance(node.args[0], ast.Constant):
            raise AssignmentError(
                f'test cell {grade_id}: check() needs ("id", actual, expected) with a literal id'
            )
        check_id = node.args[0].value
        if type(check_id) is not str:
            raise AssignmentError(f"test cell {grade_id}: a check id must be a str")
        rel_tol = 1e-6
        for keyword in node.keywords:
            if keyword.arg != "rel_tol":
                raise AssignmentError(f"check {check_id}: unknown option {keyword.arg}")
            rel_tol = float(ast.literal_eval(keyword.value))
        text = "\n".join(lines[node.lineno - 1 : node.end_lineno]).strip()
        checks.append(
            CheckSpec(
                check_id=check_id,
                grade_id=grade_id,
                hidden=text in hidden or any(part.strip() in hidden for part in text.split("\n")),
                rel_tol=rel_tol,
                actual_source=ast.unparse(node.args[1]),
            )
        )
    return checks


# Parts of the package no grading can depend on: the website and the lessons' quiz
# banks. Editing them must not make every stored result outdated.
NOT_GRADING_INPUTS = ("site", "quizbanks")


@functools.cache
def package_fingerprint() -> str:
    """A hash of the course package's code and data (the grader, and the models and
    seeds that expected values may be computed from): a change invalidates cached
    results. Prose (``.md``), the website and the quiz banks are left out."""
    import coopcourse

    digest = hashlib.sha256()
    roots = [Path(location) for location in coopcourse.__path__]
    roots += [root.parent / "seeds" for root in roots if (root.parent / "seeds").is_dir()]
    for root in roots:
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root).parts
            if (
                path.suffix in (".py", ".yaml", ".txt", ".json")
                and "__pycache__" not in parts
                and parts[0] not in NOT_GRADING_INPUTS
            ):
                digest.update("/".join(parts).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_rubric(path: Path) -> dict:
    if not path.exists():
        return {}
    rubric = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(rubric, dict):
        raise AssignmentError(f"{path}: the rubric must map grade ids to criteria")
    return rubric


def source_notebook_path(source_dir: Path, assignment: str) -> Path:
    folder = source_dir / assignment
    if not folder.is_dir():
        known = sorted(
            entry.name
            for entry in (source_dir.iterdir() if source_dir.is_dir() else [])
            if entry.is_dir() and any(entry.glob("*.ipynb"))
        )
        raise AssignmentError(
            f"no assignment {assignment!r} in {source_dir}; "
            f"the course has: {', '.join(known) or 'none'}"
        )
    preferred = folder / f"{assignment}.ipynb"
    if preferred.exists():
        return preferred
    notebooks = sorted(folder.glob("*.ipynb"))
    if len(notebooks) != 1:
        raise AssignmentError(f"expected one source notebook in {folder}, found {len(notebooks)}")
    return notebooks[0]


def load_assignment(source_dir: Path, assignment: str, release_dir: Path | None = None):
    """Parse ``<source_dir>/<assignment>/<notebook>.ipynb`` into an AssignmentSource."""
    path = source_notebook_path(source_dir, assignment)
    notebook = nbformat.read(path, as_version=4)
    released = _released_cells(release_dir, assignment, path.name)
    cells, seen = [], set()
    for index, cell in enumerate(notebook.cells):
        kind = cell_kind(cell)
        meta = dict(nbgrader_metadata(cell))
        grade_id = meta.get("grade_id") if kind != "plain" else None
        if grade_id in seen:
            raise AssignmentError(f"{path.name}: grade_id {grade_id} is used twice")
        if grade_id:
            seen.add(grade_id)
        elif kind != "plain":
            raise AssignmentError(
                f"{path.name}: cell {index} has nbgrader metadata but no grade_id"
            )
        source_cell = SourceCell(
            index=index,
            cell_type=cell.cell_type,
            kind=kind,
            grade_id=grade_id,
            points=float(meta.get("points", 0) or 0) if kind in ("test", "manual") else 0.0,
            source=cell.source,
            release_source=released.get(grade_id, release_text(cell, kind)),
            nbgrader=meta,
        )
        if kind == "test":
            if cell.cell_type != "code":
                raise AssignmentError(f"{path.name}: test cell {grade_id} must be a code cell")
            source_cell.checks = parse_checks(cell.source, grade_id)
            source_cell.hidden_lines = hidden_lines(cell.source)
        cells.append(source_cell)
    ids = [check.check_id for cell in cells for check in cell.checks]
    duplicates = sorted({check_id for check_id in ids if ids.count(check_id) > 1})
    if duplicates:
        raise AssignmentError(f"{path.name}: check ids used twice: {', '.join(duplicates)}")
    return AssignmentSource(
        name=assignment,
        notebook_name=path.stem,
        path=path,
        sha256=file_sha256(path),
        notebook=notebook,
        cells=cells,
        rubric=load_rubric(path.parent / "rubric.yaml"),
    )


def _released_cells(release_dir: Path | None, assignment: str, filename: str) -> dict[str, str]:
    """Cell text by grade_id from the generated exercise, if it exists."""
    if release_dir is None or not (release_dir / assignment / filename).exists():
        return {}
    released = nbformat.read(release_dir / assignment / filename, as_version=4)
    texts = {}
    for cell in released.cells:
        if cell_grade_id(cell):
            texts[cell_grade_id(cell)] = cell.source
    return texts
