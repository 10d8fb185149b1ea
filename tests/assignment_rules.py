"""Reading the assignments' checks, and a submission that copies the visible answers.

Shared by ``test_assignments.py`` (which grades the copying submission with the
course command) and ``test_assignment_fairness.py`` (which checks how each
assignment's checks are written).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coopcourse.grading.nbgrader_cells import BEGIN_HIDDEN, END_HIDDEN, nbgrader_metadata

COURSE_ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = [
    "a1_policy",
    "a2_labour_response",
    "a3_union_objections",
    "a4_market_socialism",
    "a5_capstone",
]
QUESTION_HEADING = re.compile(r"^#{2,3} Question (\d+) \(")
CHECK_QUESTION = re.compile(r"\.q(\d+)\.")
HIDDEN_CELL_NOTE = "# Hidden tests run when your work is graded."



def source_notebook(assignment: str):
    return nbformat.read(COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)


def exercise_notebook(assignment: str):
    return nbformat.read(COURSE_ROOT / "exercises" / assignment / f"{assignment}.ipynb", 4)


def question_of(grade_id: str) -> int | None:
    match = re.match(r"q(\d+)[-_]", grade_id)
    return int(match.group(1)) if match else None


def question_of_check(check_id: str) -> int:
    return int(CHECK_QUESTION.search(check_id).group(1))


@dataclass(frozen=True)
class CheckCall:
    check_id: str
    actual: ast.expr
    expected: ast.expr
    hidden: bool
    grade_id: str

    @property
    def expected_source(self) -> str:
        return ast.unparse(self.expected)


def _hidden_line_numbers(source: str) -> set[int]:
    hidden, inside = set(), False
    for number, line in enumerate(source.split("\n"), start=1):
        if BEGIN_HIDDEN in line:
            inside = True
        elif END_HIDDEN in line:
            inside = False
        elif inside:
            hidden.add(number)
    return hidden


def check_calls_of(notebook) -> list[CheckCall]:
    """Every ``check(...)`` call in the notebook's code cells, in order."""
    calls = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or "check(" not in cell.source:
            continue
        hidden = _hidden_line_numbers(cell.source)
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "check"
                and len(node.args) == 3
                and isinstance(node.args[0], ast.Constant)
            ):
                calls.append(
                    CheckCall(
                        node.args[0].value,
                        node.args[1],
                        node.args[2],
                        node.lineno in hidden,
                        nbgrader_metadata(cell).get("grade_id", ""),
                    )
                )
    return sorted(calls, key=lambda call: _natural(call.check_id))


def _natural(check_id: str) -> list:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", check_id)]


def question_instructions(notebook) -> dict[int, str]:
    """Question number -> the Markdown from its heading to the next question's heading."""
    texts: dict[int, list[str]] = {}
    current = None
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        match = QUESTION_HEADING.match(cell.source)
        if match:
            current = int(match.group(1))
        if current is not None and not nbgrader_metadata(cell).get("solution"):
            texts.setdefault(current, []).append(cell.source)
    return {number: "\n\n".join(parts) for number, parts in texts.items()}


def fold(text: str) -> str:
    return " ".join(text.split())


# --- a submission that copies the visible answers --------------------------------------


class UnsupportedVisibleCheck(ValueError):
    """A visible check's actual side has a form the copying submission cannot imitate."""


def copy_for_question(calls: list[CheckCall], fallback: str) -> list[str]:
    """Python lines that make every visible check of one question pass by rote.

    ``fallback`` is what a copied function returns for arguments no visible check
    used: "first" (the first visible value) or "none".
    """
    functions: dict[str, list[tuple[str, str]]] = {}
    subscripted: set[str] = set()
    lines: list[str] = []
    for call in calls:
        actual, expected = call.actual, call.expected_source
        if isinstance(actual, ast.Call) and isinstance(actual.func, ast.Name):
            name = actual.func.id
            if name == "sorted" and len(actual.args) == 1 and isinstance(actual.args[0], ast.Name):
                lines.append(f"{actual.args[0].id} = dict.fromkeys({expected})")
            elif name == "len" and len(actual.args) == 1 and isinstance(actual.args[0], ast.Name):
                lines.append(f"{actual.args[0].id} = [None] * ({expected})")
            else:
                arguments = ", ".join(ast.unparse(arg) for arg in actual.args)
                keywords = ", ".join(f"{k.arg}={ast.unparse(k.value)}" for k in actual.keywords)
                functions.setdefault(name, []).append(
                    (f"lambda: (({arguments},), dict({keywords}))", expected)
                )
        elif isinstance(actual, ast.Name):
            lines.append(f"{actual.id} = {expected}")
        elif (
            isinstance(actual, ast.Subscript)
            and isinstance(actual.value, ast.Name)
            and isinstance(actual.slice, ast.Constant)
        ):
            name = actual.value.id
            if name not in subscripted:
                lines.append(f"{name} = {{}}")
                subscripted.add(name)
            lines.append(f"{name}[{actual.slice.value!r}] = {expected}")
        elif isinstance(actual, ast.Tuple) and all(isinstance(e, ast.Name) for e in actual.elts):
            names = ", ".join(element.id for element in actual.elts)
            lines.append(f"{names}, = {expected}")
        else:
            raise UnsupportedVisibleCheck(f"{call.check_id}: {ast.unparse(actual)}")
    for name, cases in functions.items():
        table = ", ".join(f"({arguments}, {expected})" for arguments, expected in cases)
        default = "_copy.deepcopy(_cases[0][1])" if fallback == "first" else "None"
        lines += [
            f"def {name}(*args, _cases=[{table}], **kwargs):",
            "    for arguments, value in _cases:",
            "        try:",
            "            if arguments() == (args, kwargs):",
            "                return _copy.deepcopy(value)",
            "        except Exception:",
            "            pass",
            f"    return {default}",
        ]
    return lines


def copied_visible_answers(assignment: str, fallback: str = "first"):
    """The released exercise with every answer cell replaced by rote copies of the
    values the visible checks show (the first answer cell of each question holds them)."""
    visible = [call for call in check_calls_of(source_notebook(assignment)) if not call.hidden]
    notebook = exercise_notebook(assignment)
    filled: set[int] = set()
    for cell in notebook.cells:
        meta = nbgrader_metadata(cell)
        if cell.cell_type != "code" or not meta.get("solution") or meta.get("grade"):
            continue
        question = question_of(meta.get("grade_id", ""))
        if question in filled:
            cell.source = "pass"
            continue
        filled.add(question)
        own = [call for call in visible if question_of_check(call.check_id) == question]
        cell.source = "\n".join(["import copy as _copy", *copy_for_question(own, fallback)])
    return notebook
