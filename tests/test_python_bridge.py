"""The Python bridge (lessons/python_bridge.ipynb) teaches the Python the assignments use.

``CONSTRUCTS`` lists, by kind, every piece of Python that learners read or write in
Assignments 1-5: the code cells of the solution and exercise notebooks, with the
hidden tests left out because learners never see them. Each entry says where an
assignment first needs it. The list was read off the solutions and is checked in
both directions: the assignments use nothing it leaves out and it lists nothing
they no longer use. The bridge's code cells must use every entry.

The bridge is saved with its exercises unanswered: each exercise cell and its
check cell stop with ``NotImplementedError("Your turn: ...")`` and are tagged
``raises-exception`` so that nbval and ``coopcourse execute-lessons`` accept that.
The folded solutions are tested here instead, by running the notebook with every
exercise answered by its solution.
"""

from __future__ import annotations

import ast
import builtins
import copy
import os
import re

import pytest

from tests.lesson_files import COURSE_ROOT, read

BRIDGE = COURSE_ROOT / "lessons" / "python_bridge.ipynb"
ASSIGNMENTS = (
    "a1_policy",
    "a2_labour_response",
    "a3_union_objections",
    "a4_market_socialism",
    "a5_capstone",
)
HIDDEN_TESTS = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", re.DOTALL)
RAISES = "raises-exception"

# Kind -> construct -> the assignment question that first needs it.
CONSTRUCTS: dict[str, dict[str, str]] = {
    "module": {
        "re": "A1 imports",
        "coopcourse.seeds": "A1 imports",
        "coopcourse.grading.checks.check": "A1 Q1",
        "coopcourse.models.mutual": "A3 imports",
        "coopcourse.models.illyrian": "A4 imports",
    },
    "builtin": {
        "NotImplementedError": "A1 Q1 (skeleton)",
        "enumerate": "A1 Q2",
        "sorted": "A1 Q4",
        "sum": "A2 Q1",
        "int": "A2 Q2",
        "any": "A3 Q1",
        "print": "A3 Q2",
        "float": "A3 Q5",
        "range": "A4 imports",
        "round": "A4 imports",
        "max": "A4 Q3",
    },
    "keyword": {
        "start": "A1 Q2 (enumerate)",
        "flags": "A1 Q3 (re)",
        "annual_turnover": "A3 Q4 (mutual.MutualAssumptions)",
        "key": "A4 Q3 (max, sorted)",
    },
    "attribute": {
        # str methods
        "strip": "A1 Q1",
        "endswith": "A1 Q1",
        "split": "A1 Q1 (str.split and re.split)",
        "lower": "A1 Q2",
        "startswith": "A1 Q4",
        "join": "A2 Q1",
        "count": "A2 Q1",
        "find": "A2 Q3",
        # list and dict methods
        "append": "A1 Q1",
        "extend": "A1 Q4",
        "items": "A3 Q2",
        "values": "A5 Q3",
        # re
        "findall": "A1 Q3",
        "DOTALL": "A1 Q3",
        "escape": "A2 Q2",
        "search": "A2 Q3",
        "group": "A2 Q3",
        "IGNORECASE": "A3 Q1",
        # coopcourse.seeds
        "load": "A1 imports",
        "text": "A1 Q1",
        "paragraphs": "A1 Q2",
        "blog_comments": "A2 Q1",
        "blog_post_body": "A2 Q1",
        "comment": "A3 Q1",
        "is_argument": "A3 imports",
        "number": "A3 Q2",
        "author": "A3 Q2",
        # coopcourse.models
        "MutualAssumptions": "A3 model demo",
        "project": "A3 model demo",
        "summary_text": "A3 model demo",
        "years": "A3 Q3",
        "year": "A3 Q3",
        "surplus": "A3 Q3",
        "lost_retender_year": "A3 Q4",
        "income_per_member": "A4 Q3",
        "crossover_price": "A4 Q4",
    },
    "syntax": {
        "FunctionDef": "A1 Q1",
        "Return": "A1 Q1",
        "Raise": "A1 Q1 (skeleton)",
        "For": "A1 Q1",
        "If": "A1 Q1",
        "Break": "A1 Q1",
        "List": "A1 Q1",
        "ListComp": "A1 Q1",
        "Subscript": "A1 Q1",
        "Eq": "A1 Q1",
        "And": "A1 Q1",
        "In": "A1 Q2",
        "Tuple": "A1 Q2",
        "DictComp": "A1 Q4",
        "AnnAssign": "A1 Q4",
        "Not": "A1 Q4",
        "USub": "A1 Q4",
        "Dict": "A2 Q1",
        "GeneratorExp": "A2 Q1",
        "Add": "A2 Q2",
        "Mult": "A2 Q2",
        "Div": "A2 Q2",
        "Continue": "A2 Q3",
        "Slice": "A2 Q3",
        "Lt": "A2 Q3",
        "BitOr": "A2 Q3 (str | None)",
        "While": "A3 Q5",
        "AugAssign": "A3 Q5",
        "Pow": "A3 Q5",
        "Sub": "A3 Q5",
        "GtE": "A3 Q5",
        "LtE": "A3 Q5",
        "Lambda": "A4 Q3",
        "Gt": "A4 Q5",
    },
    "feature": {
        "docstring": "A1 Q1",
        "type hint": "A1 Q1",
        "tuple unpacking": "A1 Q2",
        "negative index": "A1 Q4",
        "nested function": "A2 Q1",
        "default argument": "A4 Q1",
    },
    "annotation": {
        "str": "A1 Q1",
        "list": "A1 Q1",
        "int": "A1 Q2",
        "dict": "A1 Q4",
        "None": "A2 Q3",
        "bool": "A3 Q1",
        "tuple": "A3 Q2",
        "float": "A3 Q4",
    },
    "regex": {
        "\\n": "A1 Q1",
        "\\s": "A1 Q1",
        "*": "A1 Q1",
        "“": "A1 Q3",
        "”": "A1 Q3",
        "(": "A1 Q3",
        ")": "A1 Q3",
        ".*?": "A1 Q3",
        "\\d": "A2 Q2",
        "+": "A2 Q2",
        "\\b": "A3 Q1",
    },
}

# Node types every line of Python is made of; nothing to teach on their own.
STRUCTURE = {
    "Module", "Expr", "Name", "Load", "Store", "Constant", "Attribute", "Call",
    "Assign", "Import", "ImportFrom", "alias", "arg", "arguments", "keyword",
    "comprehension", "BinOp", "BoolOp", "Compare", "UnaryOp",
}  # fmt: skip

REGEX_TOKEN = re.compile(r"\\[A-Za-z]|\.\*\?|[()+*“”]")


def _annotation_names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    names = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            names.add(part.id)
        elif isinstance(part, ast.Constant) and part.value is None:
            names.add("None")
    return names


def constructs_in(sources: list[str]) -> dict[str, set[str]]:
    """What each kind of construct the code in ``sources`` uses."""
    found: dict[str, set[str]] = {kind: set() for kind in CONSTRUCTS}
    for source in sources:
        tree = ast.parse(source)
        for node in ast.walk(tree):
            found["syntax"].add(type(node).__name__)
            if isinstance(node, ast.Import):
                found["module"].update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                found["module"].update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Attribute):
                found["attribute"].add(node.attr)
            elif isinstance(node, ast.Call):
                _call(node, found)
            elif isinstance(node, ast.FunctionDef):
                _function(node, found)
            elif isinstance(node, ast.AnnAssign):
                found["annotation"] |= _annotation_names(node.annotation)
            elif isinstance(node, ast.Tuple) and isinstance(node.ctx, ast.Store):
                found["feature"].add("tuple unpacking")
            elif isinstance(node, ast.Subscript):
                index = node.slice
                if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
                    found["feature"].add("negative index")
    found["syntax"] -= STRUCTURE
    return found


def _call(node: ast.Call, found: dict[str, set[str]]) -> None:
    func = node.func
    if isinstance(func, ast.Name) and hasattr(builtins, func.id):
        found["builtin"].add(func.id)
    found["keyword"].update(k.arg for k in node.keywords if k.arg)
    is_re = isinstance(func, ast.Attribute) and getattr(func.value, "id", None) == "re"
    if is_re and node.args:
        for part in ast.walk(node.args[0]):
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                pattern = part.value.replace("\n", "\\n")
                found["regex"].update(REGEX_TOKEN.findall(pattern))


def _function(node: ast.FunctionDef, found: dict[str, set[str]]) -> None:
    body = node.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        found["feature"].add("docstring")
    hints = [arg.annotation for arg in node.args.args] + [node.returns]
    if any(hint is not None for hint in hints):
        found["feature"].add("type hint")
    for hint in hints:
        found["annotation"] |= _annotation_names(hint)
    if node.args.defaults:
        found["feature"].add("default argument")
    if any(isinstance(inner, ast.FunctionDef) for inner in ast.walk(node) if inner is not node):
        found["feature"].add("nested function")


def assignment_sources() -> list[str]:
    """Code learners see in the assignments: solutions and skeletons, no hidden tests."""
    sources = []
    for name in ASSIGNMENTS:
        for folder in ("solutions", "exercises"):
            notebook = read(COURSE_ROOT / folder / name / f"{name}.ipynb")
            sources += [
                HIDDEN_TESTS.sub("", c.source) for c in notebook.cells if c.cell_type == "code"
            ]
    return sources


def bridge_code() -> list[str]:
    return [c.source for c in read(BRIDGE).cells if c.cell_type == "code"]


def test_construct_list_is_exactly_what_the_assignments_use():
    used = constructs_in(assignment_sources())
    for kind, listed in CONSTRUCTS.items():
        unlisted = sorted(used[kind] - set(listed))
        stale = sorted(set(listed) - used[kind])
        assert not unlisted, (
            f"assignments use {kind} {unlisted}: teach them in the bridge, list here"
        )
        assert not stale, f"no assignment uses {kind} {stale} any more: drop them from CONSTRUCTS"


def test_bridge_code_uses_every_construct_the_assignments_need():
    shown = constructs_in(bridge_code())
    missing = {kind: sorted(set(listed) - shown[kind]) for kind, listed in CONSTRUCTS.items()}
    missing = {kind: names for kind, names in missing.items() if names}
    assert not missing, f"the bridge's code cells never use {missing}"


# ---------------------------------------------------------------- exercises

SOLUTION = re.compile(
    r"\A<details><summary>Show a solution</summary>\n\n```python\n(.*?)\n```\n.*</details>\Z",
    re.DOTALL,
)
CHECK_ID = re.compile(r"""check\(\s*"(bridge\.(\d+)\.\d+)\"""")


def exercises() -> list[dict]:
    """Each exercise: its number, function name and the indexes of its four cells."""
    cells = read(BRIDGE).cells
    found = []
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and 'raise NotImplementedError("Your turn' in cell.source:
            (function,) = [
                n.name for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef)
            ]
            found.append(
                {
                    "number": len(found) + 1,
                    "function": function,
                    "prompt": index - 1,
                    "cell": index,
                    "check": index + 1,
                    "solution": index + 2,
                }
            )
    return found


def test_there_are_seven_exercises_in_order():
    assert [e["number"] for e in exercises()] == list(range(1, 8))


@pytest.mark.parametrize("exercise", exercises(), ids=lambda e: e["function"])
def test_every_exercise_has_a_prompt_a_check_and_a_folded_solution(exercise):
    cells = read(BRIDGE).cells
    number, function = exercise["number"], exercise["function"]
    prompt = cells[exercise["prompt"]]
    assert prompt.cell_type == "markdown"
    assert prompt.source.startswith(f"### Your turn {number}: "), prompt.source[:60]
    assert f"`{function}(" in prompt.source, "the prompt names the function to write"

    check_cell = cells[exercise["check"]]
    assert check_cell.cell_type == "code"
    ids = CHECK_ID.findall(check_cell.source)
    assert ids, "the check cell calls check()"
    assert {group for _, group in ids} == {str(number)}, "check ids are bridge.<exercise>.<n>"
    assert len({check_id for check_id, _ in ids}) == len(ids), "check ids are unique"
    assert f"{function}(" in check_cell.source
    assert check_cell.source.rstrip().endswith(f'print("Your turn {number}: all checks passed.")')

    solution = cells[exercise["solution"]]
    assert solution.cell_type == "markdown"
    match = SOLUTION.match(solution.source)
    assert match, "a <details><summary>Show a solution</summary> block with a python fence"
    defined = [n.name for n in ast.parse(match.group(1)).body if isinstance(n, ast.FunctionDef)]
    assert defined == [function], "the solution defines the exercise's function"


def test_unanswered_exercises_stop_with_a_friendly_error():
    cells = read(BRIDGE).cells
    expected = set()
    for exercise in exercises():
        for key in ("cell", "check"):
            cell = cells[exercise[key]]
            expected.add(exercise[key])
            assert RAISES in cell.metadata.get("tags", []), f"cell {exercise[key]} needs the tag"
            (error,) = [o for o in cell.outputs if o.output_type == "error"]
            assert error.ename == "NotImplementedError"
            assert error.evalue == f"Your turn: write the body of {exercise['function']}()"
    # The only other cells allowed to fail are the worked examples of a failing check.
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or index in expected:
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        tagged = RAISES in cell.metadata.get("tags", [])
        assert tagged == bool(errors), f"cell {index}: tag raises-exception exactly when it fails"
        for error in errors:
            assert error.ename == "AssertionError"
            assert error.evalue.startswith("check bridge.example failed: ")


def test_saved_executed_in_order_without_widget_state():
    notebook = read(BRIDGE)
    assert "widgets" not in notebook.metadata
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "re-run: coopcourse execute-lessons"


def test_stated_time_is_honest():
    """200 words a minute for prose and worked examples, 4 minutes an exercise."""
    notebook = read(BRIDGE)
    stated = re.search(r"\*\*Time:\*\* about (\d+) minutes", notebook.cells[0].source)
    assert stated, "the first cell says **Time:** about N minutes"
    skip = {e[key] for e in exercises() for key in ("cell", "check", "solution")}
    words = re.compile(r"[A-Za-z0-9£%][\w'’£%.,-]*")
    read_words = sum(
        len(words.findall(cell.source))
        for index, cell in enumerate(notebook.cells)
        if index not in skip
    )
    estimate = read_words / 200 + 4 * len(exercises())
    assert abs(int(stated.group(1)) - estimate) <= 0.2 * estimate, f"estimate {estimate:.0f}"


def test_points_learners_to_assignment_1_and_lesson_1():
    markdown = "\n".join(c.source for c in read(BRIDGE).cells if c.cell_type == "markdown")
    for target in ("../exercises/a1_policy/a1_policy.ipynb", "01_the_policy.ipynb"):
        assert f"]({target})" in markdown
        assert (BRIDGE.parent / target).resolve().is_file()


def test_folded_solutions_pass_every_check():
    """Answer every exercise with its folded solution, run the notebook, and read the checks."""
    from nbclient import NotebookClient

    notebook = copy.deepcopy(read(BRIDGE))
    for exercise in exercises():
        solution = SOLUTION.match(notebook.cells[exercise["solution"]].source).group(1)
        cell = notebook.cells[exercise["cell"]]
        skeleton = ast.parse(cell.source).body
        after_function = cell.source.splitlines()[skeleton[0].end_lineno :]
        cell.source = solution + "\n" + "\n".join(after_function)
        for key in ("cell", "check"):
            notebook.cells[exercise[key]].metadata["tags"] = []
    client = NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(BRIDGE.parent)}},
    )
    client.execute(env={**os.environ, "COOPCOURSE_SAVE_PROGRESS": "0"})
    for exercise in exercises():
        outputs = notebook.cells[exercise["check"]].outputs
        printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
        ids = CHECK_ID.findall(notebook.cells[exercise["check"]].source)
        expected = [f"check {check_id} passed" for check_id, _ in ids]
        expected.append(f"Your turn {exercise['number']}: all checks passed.")
        assert printed.splitlines() == expected
