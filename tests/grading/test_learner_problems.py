"""Which grading problems a learner's feedback shows: those from before the first hidden test."""

from __future__ import annotations

import nbformat

from coopcourse.grading.nbgrader_cells import BEGIN_HIDDEN, END_HIDDEN
from coopcourse.grading.pipeline.grade import AFTER_HIDDEN_TESTS, learner_problems


def _notebook():
    cells = [
        nbformat.v4.new_code_cell("answer = 1"),
        nbformat.v4.new_code_cell(f"check('q.1', answer, 1)\n{BEGIN_HIDDEN}\npass\n{END_HIDDEN}"),
        nbformat.v4.new_code_cell("later = 2"),
    ]
    return nbformat.v4.new_notebook(cells=cells)


def test_problems_from_the_first_hidden_test_on_become_one_fixed_sentence():
    items = [(0, "cell 1 raised NameError"), (1, "cell 2 ran out of time"), (2, "cell 3 printed")]
    earlier = ["the notebook had an extra cell"]
    shown = learner_problems(earlier, items, _notebook())
    assert shown == [*earlier, "cell 1 raised NameError", AFTER_HIDDEN_TESTS]


def test_an_early_problem_stays_shown_when_a_late_one_reads_the_same():
    same = "a cell printed more than the output limit"
    items = [(0, same), (2, same)]
    assert learner_problems([], items, _notebook()) == [same, AFTER_HIDDEN_TESTS]


def test_problems_not_tied_to_a_cell_and_notebooks_without_hidden_tests_are_shown():
    items = [(None, "the kernel took long to start")]
    assert learner_problems([], items, _notebook()) == ["the kernel took long to start"]
    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    assert learner_problems([], [(0, "cell 1 failed")], plain) == ["cell 1 failed"]
