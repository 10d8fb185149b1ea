"""The bad-submission corpus and the integrity attacks, as learner notebooks.

Each entry is one learner of the sample course (coopcourse.grading.sample_course):
``BAD`` holds damaged or hostile submissions that must each get a clear message
while the rest of the class is graded; ``ATTACKS`` holds wrong answers combined
with a trick that fools plain nbgrader, and must score nothing for the tricked
tests.
"""

from __future__ import annotations

import json

import nbformat

from coopcourse.grading import sample_course as sample
from coopcourse.grading.nbgrader_cells import grade_id, nbgrader_metadata

WRONG_Q1 = "def double(x):\n    return x + 1"
WRONG_Q2 = 'WORDS = ["mutual", "co-op", "extra"]'


def _with(root, answers: dict, extra_after: dict | None = None):
    notebook = sample.student_notebook(root, answers)
    for wanted, code in (extra_after or {}).items():
        index = next(
            i
            for i, c in enumerate(notebook.cells)
            if grade_id(c) == wanted
        )
        notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(code))
    return notebook


def _drop(notebook, dropped: str):
    notebook.cells = [
        c
        for c in notebook.cells
        if grade_id(c) != dropped
    ]
    return notebook


def _reorder(notebook):
    tests = [c for c in notebook.cells if nbgrader_metadata(c).get("grade")]
    others = [c for c in notebook.cells if c not in tests]
    notebook.cells = tests + others  # every test cell moved above the answers
    return notebook


def _tamper(notebook):
    for cell in notebook.cells:
        if grade_id(cell) == "q1_visible":
            cell.source = 'from coopcourse.grading.checks import check\ncheck("fx_demo.q1.1", 4, 4)'
    return notebook


def write_bad(root, outside_target: str) -> dict[str, str]:
    """Write the bad submissions; return student -> what it is."""
    right = sample.RIGHT
    entries = {
        "bad_invalid_json": ("invalid JSON", b'{"cells": [, "nbformat": 4}'),
        "bad_not_notebook": ("JSON that is not a notebook", json.dumps([1, 2, 3]).encode()),
        "bad_wrong_name": ("wrong file name", sample.student_notebook(root, right)),
        "bad_missing": ("missing notebook", None),
        "bad_deleted_cells": (
            "deleted cells",
            _drop(_drop(sample.student_notebook(root, right), "q2_answer"), "q1_hidden"),
        ),
        "bad_reordered": ("reordered cells", _reorder(sample.student_notebook(root, right))),
        "bad_tampered_tests": (
            "tampered test cells",
            _tamper(sample.student_notebook(root, {"q1_answer": WRONG_Q1})),
        ),
        "bad_endless_loop": (
            "endless loop",
            _with(root, {**right, "q1_answer": "while True:\n    pass"}),
        ),
        "bad_loop_in_test": (
            "a function that loops forever when a test calls it",
            _with(root, {**right, "q1_answer": "def double(x):\n    while True:\n        pass"}),
        ),
        "bad_memory_bomb": (
            "memory bomb",
            _with(root, right, {"q1_answer": "hog = bytearray(8 * 2**30)"}),
        ),
        "bad_output_flood": (
            "gigabytes of output",
            _with(root, right, {"q1_answer": "while True:\n    print('x' * 10**4)"}),
        ),
        "bad_kernel_crash": (
            "kernel crash",
            _with(root, right, {"q1_visible": "import os\nos._exit(1)"}),
        ),
        "bad_sys_exit": ("sys.exit()", _with(root, right, {"q1_answer": "import sys\nsys.exit()"})),
        "bad_writes_outside": (
            "writes outside its folder",
            _with(root, right, {"q1_answer": f"open({outside_target!r}, 'w').write('pwned')"}),
        ),
        "bad_not_utf8": ("non-UTF-8 text", None),
    }
    for student, (_, content) in entries.items():
        if student == "bad_wrong_name":
            sample.write_submission(root, student, content, name="homework (1).ipynb")
        elif student == "bad_missing":
            folder = root / "submitted" / student / sample.ASSIGNMENT
            folder.mkdir(parents=True)
            (folder / "notes.txt").write_text("I could not finish.", encoding="utf-8")
        elif student == "bad_not_utf8":
            text = nbformat.writes(sample.student_notebook(root, {"q3_answer": "Mutuelle é"}))
            sample.write_submission(root, student, text.encode("latin-1"))
        else:
            sample.write_submission(root, student, content)
    return {student: what for student, (what, _) in entries.items()}


ATTACKS = {
    # Silence every later cell by rewriting its text before it runs.
    "attack_input_transformer": (
        "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"
    ),
    # Replace every later cell's syntax tree with nothing.
    "attack_ast_transformer": (
        "import ast\n"
        "class Blank(ast.NodeTransformer):\n"
        "    def visit_Module(self, node):\n"
        "        node.body = []\n"
        "        return node\n"
        "get_ipython().ast_transformers.append(Blank())"
    ),
    # Swallow errors after every cell.
    "attack_post_run_event": (
        "def hide(result):\n"
        "    result.error_in_exec = None\n"
        "get_ipython().events.register('post_run_cell', hide)\n"
        "get_ipython().events.register('pre_run_cell', lambda info: None)"
    ),
    "attack_showtraceback": (
        "import sys\n"
        "get_ipython().showtraceback = lambda *a, **k: None\n"
        "get_ipython()._showtraceback = lambda *a, **k: None\n"
        "sys.excepthook = lambda *a: None"
    ),
    # Make len() agree with the visible test, in builtins and in the notebook's namespace.
    "attack_builtins": (
        "import builtins\n"
        "_real_len = len\n"
        "builtins.len = lambda v: 2 if type(v) is list and v[-1:] == ['extra'] else _real_len(v)"
    ),
    "attack_shadow_len": "len = lambda value: 2",
    "attack_assertion_error": (
        "import builtins\n"
        "class AssertionError(Exception):\n"
        "    pass\n"
        "builtins.AssertionError = type('Harmless', (Warning,), {})"
    ),
    "attack_redefine_check": (
        "import coopcourse.grading.checks as checks_module\n"
        "def check(*args, **kwargs):\n"
        "    print('passed')\n"
        "checks_module.check = check"
    ),
    # Jump over every line of later cells.
    "attack_settrace": (
        "import sys\n"
        "def skip(frame, event, arg):\n"
        "    if event == 'line' and frame.f_code.co_name == '<module>':\n"
        "        last = max(line for _, _, line in frame.f_code.co_lines() if line)\n"
        "        if frame.f_lineno < last:\n"
        "            try:\n"
        "                frame.f_lineno = last\n"
        "            except ValueError:\n"
        "                pass\n"
        "    return skip\n"
        "sys.settrace(skip)"
    ),
    "attack_os_exit": "import os\n_real = double\ndouble = lambda x: os._exit(0)",
    "attack_sys_exit": "import sys\ndouble = lambda x: sys.exit(0)",
    # Print what the grader would print, and forge an export with a guessed nonce.
    "attack_fake_output": (
        "from IPython.display import display\n"
        "print('✔ fx_demo.q1.1: passed\\n✔ fx_demo.q1.2: passed\\n✔ fx_demo.q1.3: passed')\n"
        "display({'application/x-coopcourse-check+json': {'nonce': '0' * 32, "
        "'id': 'fx_demo.q1.2', 'value': ['float', '-7.0']}}, raw=True)"
    ),
    "attack_crafted_eq": (
        "class Anything(str):\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "    __hash__ = str.__hash__\n"
        "double = lambda x: Anything('?')\n"
        "WORDS = Anything('?')"
    ),
}


def write_attacks(root) -> None:
    for student, code in ATTACKS.items():
        answers = {"q1_answer": WRONG_Q1, "q2_answer": WRONG_Q2}
        sample.write_submission(root, student, _with(root, answers, {"q1_answer": code}))
