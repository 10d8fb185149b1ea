"""How each assignment's checks are written: fair to learners, closed to guessing.

* Visible checks help the learner and carry no points; every point comes from
  hidden checks (shared among a cell's checks).
* Every hidden check tests a sentence of its question's instructions, listed in
  ``solutions/<assignment>/hidden_checks.yaml``.
* No hidden check's expected value can be hit by a blind guess.
* The released exercise gives skeletons that say what to return, and hidden
  cells say that their tests run at grading.

The copying submission (answers that only repeat what the visible checks show)
is graded with the course command in ``test_assignments.py``.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
import yaml

from coopcourse import seeds
from coopcourse.grading.authoring import GUESSABLE_SPACE, guess_space, is_guessable
from coopcourse.grading.nbgrader_cells import nbgrader_metadata
from coopcourse.grading.pipeline.scoring import share_of_points
from coopcourse.models import illyrian, mutual
from tests.assignment_rules import (
    ASSIGNMENTS,
    COURSE_ROOT,
    HIDDEN_CELL_NOTE,
    CheckCall,
    UnsupportedVisibleCheck,
    check_calls_of,
    copied_visible_answers,
    copy_for_question,
    exercise_notebook,
    fold,
    question_instructions,
    question_of_check,
    source_notebook,
)

MIN_WORDS_OF_A_RULE = 4


def hidden_check_map(assignment: str) -> dict[str, str]:
    path = COURSE_ROOT / "solutions" / assignment / "hidden_checks.yaml"
    assert path.is_file(), f"{path.relative_to(COURSE_ROOT)} is missing"
    mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(mapping, dict), "hidden_checks.yaml maps check ids to sentences"
    return mapping


def expected_value(source: str):
    """Evaluate a check's expected side; it may use only the course's own modules."""
    return eval(source, {"seeds": seeds, "mutual": mutual, "illyrian": illyrian})  # noqa: S307


# --- the rules themselves --------------------------------------------------------------


@pytest.mark.parametrize(
    "value, guessable",
    [
        (None, True),
        (False, True),
        (0, True),
        (-7, True),
        (3.0, True),
        ([], True),
        ("", True),
        ("x", True),
        ([2], True),
        ((3, None), True),
        ({"a": 1, "b": True}, True),
        (11, False),
        (13.333, False),
        ("late", False),
        (("late", None), False),
        ([0, 0], False),
        ({"FT report": 3, "LFF post": 0, "LFF comments": 1}, False),
    ],
)
def test_guessable_values(value, guessable):
    assert is_guessable(value) is guessable
    assert (guess_space(value) <= GUESSABLE_SPACE) is guessable


def test_a_cells_points_are_shared_among_its_checks():
    assert share_of_points(2, 2, 2) == 2.0
    assert share_of_points(2, 1, 2) == 1.0
    assert share_of_points(2, 1, 3) == 0.67
    assert share_of_points(3, 0, 4) == 0.0
    assert share_of_points(1, 0, 0) == 0.0  # a cell without checks earns nothing


def test_the_copying_submission_refuses_forms_it_cannot_imitate():
    call = ast.parse('check("a.q1.1", slope(1) > 0, True)').body[0].value
    odd = CheckCall("a.q1.1", call.args[1], call.args[2], False, "q1-tests-visible")
    with pytest.raises(UnsupportedVisibleCheck):
        copy_for_question([odd], "first")


def test_the_copying_submission_repeats_visible_values_by_rote():
    lines = "\n".join(
        copy_for_question(
            [
                _visible('check("a.q1.1", twice(2), 4)'),
                _visible('check("a.q1.2", twice(5), 10)'),
                _visible('check("a.q1.3", (x, y), (1, "b"))'),
                _visible('check("a.q1.4", sorted(d), ["k", "m"])'),
                _visible('check("a.q1.5", len(items), 3)'),
                _visible('check("a.q1.6", votes["Balls"], "no")'),
            ],
            "first",
        )
    )
    namespace: dict = {}
    exec("import copy as _copy\n" + lines, namespace)  # noqa: S102
    assert namespace["twice"](2) == 4 and namespace["twice"](5) == 10
    assert namespace["twice"](7) == 4, "unknown arguments get the first visible value"
    assert (namespace["x"], namespace["y"]) == (1, "b")
    assert sorted(namespace["d"]) == ["k", "m"]
    assert len(namespace["items"]) == 3
    assert namespace["votes"] == {"Balls": "no"}


def _visible(text: str):
    call = ast.parse(text).body[0].value
    return CheckCall(call.args[0].value, call.args[1], call.args[2], False, "q1-tests-visible")


# --- each assignment -------------------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_checks_carry_no_points_and_hidden_cells_carry_them_all(assignment):
    for cell in source_notebook(assignment).cells:
        if cell.cell_type != "code" or "check(" not in cell.source:
            continue
        meta = nbgrader_metadata(cell)
        grade_id = meta.get("grade_id")
        has_hidden = "### BEGIN HIDDEN TESTS" in cell.source
        if has_hidden:
            assert meta.get("grade") and meta.get("locked") and meta.get("points", 0) > 0, grade_id
            released = cell.source.split("### BEGIN HIDDEN TESTS")[0]
            assert "check(" not in released, f"{grade_id}: a check outside the hidden region"
        else:
            assert not meta.get("grade") and meta.get("locked"), (
                f"{grade_id}: a visible check cell must be read-only and earn no points"
            )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_hidden_check_tests_a_stated_rule(assignment):
    notebook = source_notebook(assignment)
    instructions = {number: fold(text) for number, text in question_instructions(notebook).items()}
    hidden = {call.check_id for call in check_calls_of(notebook) if call.hidden}
    mapping = hidden_check_map(assignment)
    assert sorted(hidden - set(mapping)) == [], "hidden checks with no instruction they test"
    assert sorted(set(mapping) - hidden) == [], "entries for checks that do not exist"
    for check_id, sentence in mapping.items():
        assert isinstance(sentence, str) and len(sentence.split()) >= MIN_WORDS_OF_A_RULE, check_id
        question = question_of_check(check_id)
        assert fold(sentence) in instructions.get(question, ""), (
            f"{check_id}: {sentence!r} is not in the instructions of Question {question}"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_hidden_check_can_be_passed_by_guessing(assignment):
    guessable = []
    for call in check_calls_of(source_notebook(assignment)):
        if not call.hidden:
            continue
        space = guess_space(expected_value(call.expected_source))
        if space <= GUESSABLE_SPACE:
            guessable.append(f"{call.check_id} (1 in {space:g})")
    assert not guessable, f"hidden checks a blind guess could pass: {guessable}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_visible_checks_have_forms_the_copying_submission_can_imitate(assignment):
    for fallback in ("first", "none"):
        notebook = copied_visible_answers(assignment, fallback)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                compile(cell.source, assignment, "exec")  # every copied cell is valid Python


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_cells_say_their_tests_run_at_grading(assignment):
    for cell in exercise_notebook(assignment).cells:
        meta = nbgrader_metadata(cell)
        if meta.get("grade") and not meta.get("solution"):
            assert HIDDEN_CELL_NOTE in cell.source, meta["grade_id"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_skeletons_say_what_each_function_takes_and_returns(assignment):
    functions = 0
    for cell in exercise_notebook(assignment).cells:
        meta = nbgrader_metadata(cell)
        if cell.cell_type != "code" or not meta.get("solution") or meta.get("grade"):
            continue
        for node in ast.parse(cell.source).body:
            if not isinstance(node, ast.FunctionDef):
                continue
            functions += 1
            where = f"{meta['grade_id']}: {node.name}()"
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            assert all(argument.annotation for argument in arguments), f"{where}: argument types"
            assert node.returns is not None, f"{where}: return type"
            docstring = ast.get_docstring(node) or ""
            assert "return" in docstring.lower(), f"{where}: the docstring says what it returns"
            assert len(node.body) > 1, f"{where}: no skeleton below the docstring"
    assert functions, "the assignment asks for no function"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_answer_cells_are_not_bare_stubs(assignment):
    """Each code answer cell keeps something besides the stub: a skeleton or a comment."""
    for cell in exercise_notebook(assignment).cells:
        meta = nbgrader_metadata(cell)
        if cell.cell_type != "code" or not meta.get("solution") or meta.get("grade"):
            continue
        lines = [line for line in cell.source.splitlines() if line.strip()]
        others = [line for line in lines if "NotImplementedError" not in line]
        assert others, f"{meta['grade_id']}: the learner gets a bare stub"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_intro_points_to_the_python_bridge(assignment):
    intro = source_notebook(assignment).cells[0].source
    assert "python_bridge.ipynb" in intro
    assert (COURSE_ROOT / "lessons" / "python_bridge.ipynb").is_file()


def test_the_exercises_are_valid_notebooks():
    for assignment in ASSIGNMENTS:
        nbformat.validate(exercise_notebook(assignment))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stated_time_is_the_walk_throughs(assignment):
    """Each intro's time is the one docs/assignment-walkthroughs.md justifies."""
    intro = source_notebook(assignment).cells[0].source
    stated = re.search(r"\*\*Time:\*\* (about [^.(]*?minutes)", intro)
    assert stated, "the first cell states **Time:** about N–M minutes"
    walkthroughs = (COURSE_ROOT / "docs" / "assignment-walkthroughs.md").read_text(
        encoding="utf-8"
    )
    row = re.search(rf"^\| `{assignment}` \| (\d+) \| (.+?) \|$", walkthroughs, re.MULTILINE)
    assert row, f"docs/assignment-walkthroughs.md has no summary row for {assignment}"
    assert row.group(2) == stated.group(1)
    assert re.search(rf"^## .+ \(`{assignment}`\)$", walkthroughs, re.MULTILINE)
