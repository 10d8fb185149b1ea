"""The five graded assignments: release, autograding, rubrics and checks.

One module-scoped fixture copies the course's nbgrader configuration and
``solutions/`` into a temporary folder, regenerates every exercise there with
plain ``nbgrader generate_assignment``, submits each solution notebook and each
untouched exercise as two students, and autogrades them all in one
``nbgrader autograde`` run. The tests then read the temporary gradebook, so every
notebook is executed once per test session. A second temporary course is released
and graded by the course command (``coopcourse class``) in a child process that
starts before plain nbgrader runs, so the two graders work side by side.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import signal
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import yaml

from coopcourse.citations import MIN_WORDS_NEEDING_TAG, extract_quotations, reference_keys
from coopcourse.grading.nbgrader_cells import nbgrader_metadata
from coopcourse.grading.pipeline.grade import Job, result_path
from coopcourse.grading.result import GradingResult
from coopcourse.grading.settings import load_settings
from tests.assignment_rules import ASSIGNMENTS, copied_visible_answers

COURSE_ROOT = Path(__file__).resolve().parent.parent
# A learner who fills every answer cell of the exercise with the model answer,
# one who hands the exercise in untouched, and one who hard-codes the seed's
# answer to Assignment 1, Question 1.
SOLUTION_STUDENT = "solution-run"
UNTOUCHED_STUDENT = "untouched-run"
HARD_CODED_STUDENT = "hard-coded-run"
# Learners whose answers only repeat, by rote, the values the visible checks show;
# for other arguments their functions return the first such value, or None.
COPYING_STUDENTS = {"copy-visible-first": "first", "copy-visible-none": "none"}
HARD_CODED_Q1 = """def qa_questions(text):
    return ["What has been announced?", "What are the Tories proposing?", "What do critics say?"]
"""
# Names an expected value may use: the course's own modules, never the learner's work.
TRUSTED_NAMES = {"seeds", "mutual", "illyrian"}
QUESTION_HEADING = re.compile(r"^#{2,3} Question (\d+) \((\d+) points")
POINTS_LINE = re.compile(
    r"\*\*Points:\*\* (\d+) \((\d+) marked automatically, (\d+) marked by hand\)"
)


# --- reading notebooks -----------------------------------------------------------------



def is_test_cell(cell) -> bool:
    meta = nbgrader_metadata(cell)
    return bool(meta.get("grade")) and not meta.get("solution")


def is_manual_cell(cell) -> bool:
    meta = nbgrader_metadata(cell)
    return bool(meta.get("grade")) and bool(meta.get("solution"))


def source_notebook(assignment: str) -> nbformat.NotebookNode:
    return nbformat.read(COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)


def check_calls(cell_source: str) -> list[ast.Call]:
    tree = ast.parse(cell_source)
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "check"
    ]


def markdown_text(notebook) -> str:
    """All Markdown of a notebook with code spans removed (they show syntax, not quotes)."""
    text = "\n\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    return re.sub(r"`[^`\n]*`", "", text)


# --- the temporary course --------------------------------------------------------------


def _run_nbgrader(args: list[str], cwd: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ)
    # nbgrader starts `alembic` and the kernel's `python` by name.
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        [str(bin_dir / "nbgrader"), *args, "--log-level=ERROR"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stderr[-3000:]}"


def answered_exercise(assignment: str, answers: dict[str, str] | None = None):
    """The committed exercise with its answer cells filled in, as a learner would.

    Every answer cell gets the model answer from the source notebook, except those
    named in ``answers`` (grade_id -> cell text).
    """
    model_answers = {
        nbgrader_metadata(cell)["grade_id"]: cell.source
        for cell in source_notebook(assignment).cells
        if nbgrader_metadata(cell).get("solution")
    }
    model_answers.update(answers or {})
    notebook = nbformat.read(COURSE_ROOT / "exercises" / assignment / f"{assignment}.ipynb", 4)
    for cell in notebook.cells:
        grade_id = nbgrader_metadata(cell).get("grade_id")
        if grade_id in model_answers:
            cell.source = model_answers[grade_id]
    return notebook


def submit(root: Path, student: str, assignment: str, notebook) -> None:
    folder = root / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(notebook, folder / f"{assignment}.ipynb")


def submit_the_class(root: Path, *, copiers: bool = False) -> None:
    for assignment in ASSIGNMENTS:
        submit(root, SOLUTION_STUDENT, assignment, answered_exercise(assignment))
        exercise = COURSE_ROOT / "exercises" / assignment / f"{assignment}.ipynb"
        submit(root, UNTOUCHED_STUDENT, assignment, nbformat.read(exercise, 4))
        if copiers:
            for student, fallback in COPYING_STUDENTS.items():
                submit(root, student, assignment, copied_visible_answers(assignment, fallback))


def _course_copy(tmp_path_factory, name: str) -> Path:
    root = tmp_path_factory.mktemp(name)
    shutil.copy(COURSE_ROOT / "nbgrader_config.py", root)
    shutil.copytree(COURSE_ROOT / "solutions", root / "solutions")
    return root


# Runs in one fresh interpreter: the course command's own entry point, once per step.
COURSE_COMMAND_SCRIPT = """
import sys
from coopcourse.cli import main

root, assignments = sys.argv[1], sys.argv[2:]
for assignment in assignments:
    for step in ("release", "autograde"):
        status = main(["class", step, assignment, "--course", root])
        if status:
            sys.exit(f"coopcourse class {step} {assignment} exited with {status}")
"""


@dataclass
class CourseCommandRun:
    root: Path
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture(scope="module")
def course_command_run(tmp_path_factory):
    """`coopcourse class release/autograde` on a temporary course, started, not awaited.

    Both graders spend much of their time waiting for kernels, so the course
    command runs while plain nbgrader grades the other course (graded_course).
    """
    root = _course_copy(tmp_path_factory, "class-course")
    submit_the_class(root, copiers=True)
    log = tmp_path_factory.mktemp("class-course-log") / "output.txt"
    with log.open("w", encoding="utf-8") as output:  # a file: a full pipe would block it
        process = subprocess.Popen(
            [sys.executable, "-c", COURSE_COMMAND_SCRIPT, str(root), *ASSIGNMENTS],
            cwd=root,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its grading workers can be stopped with it
        )
    run = CourseCommandRun(root, process, log)
    yield run
    run.stop()


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory, course_command_run) -> Path:
    """A temporary course: regenerated exercises and the class autograded by nbgrader.

    Asks for ``course_command_run`` only to start the course command first.
    """
    root = _course_copy(tmp_path_factory, "course")
    _run_nbgrader(["generate_assignment", "*", "--force"], root)
    submit_the_class(root)
    hard_coded = answered_exercise("a1_policy", {"q1-answer": HARD_CODED_Q1})
    submit(root, HARD_CODED_STUDENT, "a1_policy", hard_coded)
    _run_nbgrader(["autograde", "*", "--force"], root)
    return root


@pytest.fixture(scope="module")
def class_graded_course(course_command_run) -> Path:
    """A temporary course released and graded with `coopcourse class release/autograde`."""
    run = course_command_run
    try:
        run.process.wait(timeout=900)
    except subprocess.TimeoutExpired:
        run.stop()
        pytest.fail("the course command did not finish within 900 s", pytrace=False)
    output = run.log.read_text(encoding="utf-8", errors="replace")
    assert run.process.returncode == 0, f"the course command failed:\n{output[-3000:]}"
    return run.root


def autograded_scores(course: Path, assignment: str, student: str) -> dict[str, tuple]:
    """grade_id -> (auto score, max score) for every autograded test cell."""
    from nbgrader.api import Gradebook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLAlchemy notes about lazy loading
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            return {
                grade.name: (grade.auto_score, grade.max_score)
                for grade in notebook.grades
                if grade.cell.cell_type == "code"
            }


def course_grader_result(course: Path, assignment: str, student: str) -> GradingResult:
    """The course grader's stored result for one submission."""
    path = result_path(load_settings(course), Job(student, assignment))
    result = GradingResult.read(path)
    assert result is not None, f"no readable result at {path}"
    return result


# --- release ---------------------------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_exercise_matches_a_fresh_release(graded_course, assignment):
    committed = COURSE_ROOT / "exercises" / assignment
    regenerated = graded_course / "exercises" / assignment
    # A leaked rubric is reported by its own test below.
    committed_files = sorted(p.name for p in committed.iterdir() if p.name != "rubric.yaml")
    regenerated_files = sorted(p.name for p in regenerated.iterdir() if p.name != "rubric.yaml")
    assert committed_files == regenerated_files, "exercise files differ from a fresh release"
    notebook = f"{assignment}.ipynb"
    fresh = nbformat.read(regenerated / notebook, 4)
    stored = nbformat.read(committed / notebook, 4)
    assert stored == fresh, (
        f"exercises/{assignment} is stale: regenerate it with "
        f"`nbgrader generate_assignment {assignment} --force` and commit it"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_hides_solutions_hidden_tests_and_rubric(graded_course, assignment):
    released = graded_course / "exercises" / assignment
    assert not (released / "rubric.yaml").exists(), (
        "nbgrader copied rubric.yaml into the release: add it to CourseDirectory.ignore"
    )
    text = (released / f"{assignment}.ipynb").read_text(encoding="utf-8")
    for marker in ["BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"]:
        assert marker not in text
    notebook = nbformat.read(released / f"{assignment}.ipynb", 4)
    for cell in notebook.cells:
        if is_manual_cell(cell):
            assert cell.source == "YOUR ANSWER HERE"
        assert not cell.get("outputs"), "the release carries outputs"


# --- autograding -----------------------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_earns_full_marks_on_every_autograded_part(graded_course, assignment):
    scores = autograded_scores(graded_course, assignment, SOLUTION_STUDENT)
    expected_cells = {
        nbgrader_metadata(cell)["grade_id"]
        for cell in source_notebook(assignment).cells
        if is_test_cell(cell)
    }
    assert set(scores) == expected_cells
    short = {grade_id: score for grade_id, score in scores.items() if score[0] != score[1]}
    assert not short, f"the solution loses marks: {short}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_exercise_earns_nothing(graded_course, assignment):
    scores = autograded_scores(graded_course, assignment, UNTOUCHED_STUDENT)
    assert scores, "no autograded cells were graded"
    earned = {grade_id: score for grade_id, score in scores.items() if score[0] != 0}
    assert not earned, f"an empty submission earns marks: {earned}"


# --- notebook format -------------------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_rubric_covers_exactly_the_hand_marked_cells(assignment):
    manual = {
        nbgrader_metadata(cell)["grade_id"]: nbgrader_metadata(cell)["points"]
        for cell in source_notebook(assignment).cells
        if is_manual_cell(cell)
    }
    assert manual, "every assignment has a written answer"
    path = COURSE_ROOT / "solutions" / assignment / "rubric.yaml"
    rubric = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(rubric) == set(manual)
    for grade_id, entry in rubric.items():
        assert entry["points"] == manual[grade_id], grade_id
        criteria = entry["criteria"]
        assert criteria and all(item["text"].strip() for item in criteria), grade_id
        assert sum(item["points"] for item in criteria) == entry["points"], grade_id


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_checks_have_unique_ids_and_trusted_expected_values(assignment):
    ids = []
    for cell in source_notebook(assignment).cells:
        if not is_test_cell(cell):
            continue
        grade_id = nbgrader_metadata(cell)["grade_id"]
        assert "from coopcourse.grading.checks import check" in cell.source, grade_id
        calls = check_calls(cell.source)
        assert calls, f"test cell {grade_id} has no check"
        for call in calls:
            assert call.lineno == call.end_lineno, f"a check in {grade_id} spans several lines"
            assert len(call.args) == 3 and isinstance(call.args[0], ast.Constant)
            check_id = call.args[0].value
            assert check_id.startswith(f"{assignment}.q"), check_id
            names = {node.id for node in ast.walk(call.args[2]) if isinstance(node, ast.Name)}
            untrusted = names - TRUSTED_NAMES
            assert not untrusted, f"{check_id}: expected value uses {untrusted}"
            ids.append(check_id)
    duplicates = sorted({check_id for check_id in ids if ids.count(check_id) > 1})
    assert not duplicates, f"check ids used twice: {duplicates}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_question_has_visible_and_hidden_checks(assignment):
    """Every autograded question gives the learner visible checks (read-only cells)
    and earns its points from hidden ones."""
    visible: set[str] = set()
    hidden: set[str] = set()
    for cell in source_notebook(assignment).cells:
        if cell.cell_type != "code" or "check(" not in cell.source:
            continue
        question = nbgrader_metadata(cell)["grade_id"].split("-")[0]
        (hidden if is_test_cell(cell) else visible).add(question)
    assert hidden, "the assignment has no autograded question"
    assert sorted(hidden - visible) == [], "questions without a visible check"
    assert sorted(visible - hidden) == [], "questions without a hidden check"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stated_points_agree_with_the_cells(assignment):
    notebook = source_notebook(assignment)
    points_by_question: dict[str, float] = {}
    auto = manual = 0
    for cell in notebook.cells:
        meta = nbgrader_metadata(cell)
        if meta.get("grade"):
            question = meta["grade_id"].split("-")[0]
            points_by_question[question] = points_by_question.get(question, 0) + meta["points"]
            if is_manual_cell(cell):
                manual += meta["points"]
            else:
                auto += meta["points"]
    stated = {}
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = QUESTION_HEADING.match(cell.source)
            if match:
                stated[f"q{match.group(1)}"] = int(match.group(2))
    assert stated == points_by_question
    intro = POINTS_LINE.search(notebook.cells[0].source)
    assert intro, "the first cell states the points"
    assert tuple(int(n) for n in intro.groups()) == (auto + manual, auto, manual)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_quotations_are_verbatim_tagged_and_referenced(assignment):
    markdown = markdown_text(source_notebook(assignment))
    quotations = extract_quotations(markdown)
    assert any(q.seed for q in quotations), "the assignment quotes neither seed"
    misquoted, untagged = [], []
    for quotation in quotations:
        if quotation.tag is None and quotation.words >= MIN_WORDS_NEEDING_TAG:
            untagged.append(quotation.text)
        if quotation.seed is None:
            continue
        if quotation.missing_fragments():
            misquoted.append(f"[{quotation.tag}] {quotation.text!r}")
    assert not misquoted, f"not verbatim in the tagged source: {misquoted}"
    assert not untagged, f"quotations without a tag: {untagged}"
    used = {q.tag for q in quotations if q.tag and q.tag.startswith("R")}
    assert used <= reference_keys(markdown), "an [Rn] tag is not listed in the references"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_instructions_name_the_lesson_they_build_on(assignment):
    intro = source_notebook(assignment).cells[0].source
    lesson_number = ASSIGNMENTS.index(assignment) + 1
    match = re.search(r"\*\*Builds on:\*\* Lesson (\d), \*([^*]+)\* \(`(lessons/[\w.]+)`\)", intro)
    assert match, "the first cell names its lesson"
    number, title, path = match.groups()
    assert int(number) == lesson_number
    lesson = nbformat.read(COURSE_ROOT / path, 4)
    assert lesson.cells[0].source.splitlines()[0] == f"# Lesson {number}: {title}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_source_is_clean(assignment):
    notebook = source_notebook(assignment)
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    for cell in notebook.cells:
        assert nbgrader_metadata(cell).get("grade_id"), "every cell carries a grade_id"
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


def test_hidden_checks_decide_the_grade_of_a_hard_coded_answer(graded_course):
    scores = autograded_scores(graded_course, "a1_policy", HARD_CODED_STUDENT)
    question_1 = {k: v for k, v in scores.items() if k.startswith("q1-")}
    assert question_1 and all(score == 0 for score, _ in question_1.values()), question_1
    others = {k: v for k, v in scores.items() if not k.startswith("q1-")}
    assert all(score == top for score, top in others.values())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_course_command_releases_the_committed_exercise(class_graded_course, assignment):
    notebook = f"{assignment}.ipynb"
    released = nbformat.read(class_graded_course / "exercises" / assignment / notebook, 4)
    assert released == nbformat.read(COURSE_ROOT / "exercises" / assignment / notebook, 4)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_course_command_gives_full_marks_to_the_solution(class_graded_course, assignment):
    scores = autograded_scores(class_graded_course, assignment, SOLUTION_STUDENT)
    assert scores
    short = {grade_id: score for grade_id, score in scores.items() if score[0] != score[1]}
    assert not short, f"the solution loses marks: {short}"
    result = course_grader_result(class_graded_course, assignment, SOLUTION_STUDENT)
    assert result.problems == [] and result.status == "graded"
    assert [check.check_id for check in result.checks if not check.passed] == []
    manual = [gid for gid, score in result.scores.items() if gid not in scores]
    assert manual and all(result.scores[gid] is None for gid in manual), "left for graders"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_course_command_gives_nothing_to_an_untouched_exercise(class_graded_course, assignment):
    scores = autograded_scores(class_graded_course, assignment, UNTOUCHED_STUDENT)
    assert scores
    earned = {grade_id: score for grade_id, score in scores.items() if score[0] != 0}
    assert not earned, f"an empty submission earns marks: {earned}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_copying_the_visible_answers_earns_nothing(class_graded_course, assignment):
    for student in COPYING_STUDENTS:
        scores = autograded_scores(class_graded_course, assignment, student)
        assert scores
        earned = {grade_id: score for grade_id, score in scores.items() if score[0] != 0}
        assert not earned, f"{student} earns marks by copying visible values: {earned}"
