"""Written questions: prompts, model answers, rubrics and exemplars agree.

For every hand-marked cell of every solution notebook:

* the prompt states its word limit once, as "(at most N words)", and tells learners
  how quotations are checked; the rubric's ``word_limit`` is the same number;
* the model answer, and each exemplar marked strong or middling, fits the limit
  and quotes the seeds verbatim, with a tag on every quotation;
* the rubric scores every criterion 0, 1 or 2 against level descriptors, with
  substance and mechanics apart, and its points equal the cell's nbgrader points
  and the points the notebook states (heading and overview table);
* ``exemplars.yaml`` holds a strong, a middling and a weak answer, each scored
  criterion by criterion, whose stated score is the sum of its criterion scores;
  the faults a weak answer claims (misquotation, over the limit) are really there;
* rubric and exemplars never reach learners or grading kernels, and formgrader
  shows graders the level descriptors.

Words are counted as the prompts say: whitespace-separated words, quotations
included, source tags such as ``[FT]`` or ``[LFF #15]`` left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from coopcourse.grading.nbgrader_cells import nbgrader_metadata
from coopcourse.written_answers import quotation_findings, quotation_problems, word_count

COURSE_ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = sorted(
    path.name
    for path in (COURSE_ROOT / "solutions").iterdir()
    if (path / f"{path.name}.ipynb").exists()
)
WORD_LIMIT = re.compile(r"\(at most (\d+) words\)")
ANY_LIMIT = re.compile(r"at most (\d+) words")
WORDS_IN_REASON = re.compile(r"\b(\d+) words\b")
QUESTION_HEADING = re.compile(r"^#{2,3} Question (\d+) \((\d+) points")
TABLE_ROW = re.compile(r"^\| Question (\d+) \|.*\| (\d+) \((?:auto|by hand)\) \|$", re.MULTILINE)
ESSAY_HEADING = re.compile(r"^## The essay \((\d+) points, marked by hand\)")
LEVELS = ("strong", "middling", "weak")
KINDS = {"substance", "mechanics"}
FAULTS = {"misquotation", "beyond_source", "one_sided", "over_limit"}


# --- helpers ------------------------------------------------------------------------------



def is_manual(cell) -> bool:
    meta = nbgrader_metadata(cell)
    return bool(meta.get("grade")) and bool(meta.get("solution"))


def notebook(assignment: str):
    return nbformat.read(COURSE_ROOT / "solutions" / assignment / f"{assignment}.ipynb", 4)


def written_questions(assignment: str) -> list[tuple[str, str, str, float]]:
    """(grade_id, prompt, model answer, points) for each hand-marked cell.

    The prompt is the Markdown between the previous code or graded cell and the answer
    (for the capstone's first essay part, the essay instructions and its own prompt).
    """
    questions, prompt = [], []
    for cell in notebook(assignment).cells:
        if is_manual(cell):
            meta = nbgrader_metadata(cell)
            questions.append((meta["grade_id"], "\n\n".join(prompt), cell.source, meta["points"]))
            prompt = []
        elif cell.cell_type == "markdown" and not nbgrader_metadata(cell).get("grade"):
            prompt.append(cell.source)
        else:
            prompt = []
    return questions


def load_yaml(assignment: str, name: str) -> dict:
    return yaml.safe_load(
        (COURSE_ROOT / "solutions" / assignment / name).read_text(encoding="utf-8")
    )


def stated_limit(prompt: str) -> int:
    limits = WORD_LIMIT.findall(prompt)
    assert len(limits) == 1, f"the prompt should state '(at most N words)' once, found {limits}"
    return int(limits[0])


def cases():
    return [
        pytest.param(assignment, grade_id, prompt, answer, points, id=f"{assignment}-{grade_id}")
        for assignment in ASSIGNMENTS
        for grade_id, prompt, answer, points in written_questions(assignment)
    ]


# --- prompts and model answers --------------------------------------------------------------


def test_every_assignment_has_written_questions():
    assert len(ASSIGNMENTS) == 5
    assert all(written_questions(assignment) for assignment in ASSIGNMENTS)


@pytest.mark.parametrize("assignment, grade_id, prompt, answer, points", cases())
def test_prompt_states_one_word_limit_and_how_quotes_are_checked(
    assignment, grade_id, prompt, answer, points
):
    limit = stated_limit(prompt)
    assert {int(n) for n in ANY_LIMIT.findall(prompt)} == {limit}, "two different limits"
    for phrase in (
        "checked against the seed text",
        "word for word",
        "straight",
        "curly",
        "line breaks",
    ):
        assert phrase in prompt, f"the prompt does not say how quotations are checked ({phrase!r})"


@pytest.mark.parametrize("assignment, grade_id, prompt, answer, points", cases())
def test_model_answer_fits_its_word_limit(assignment, grade_id, prompt, answer, points):
    limit = stated_limit(prompt)
    assert word_count(answer) <= limit, f"{word_count(answer)} words, limit {limit}"


@pytest.mark.parametrize("assignment, grade_id, prompt, answer, points", cases())
def test_model_answer_quotes_verbatim_with_tags(assignment, grade_id, prompt, answer, points):
    assert quotation_findings(answer), "the model answer quotes nothing"
    assert not quotation_problems(answer)


# --- rubrics -----------------------------------------------------------------------------------


@pytest.mark.parametrize("assignment, grade_id, prompt, answer, points", cases())
def test_rubric_scores_each_criterion_0_1_2_with_levels(
    assignment, grade_id, prompt, answer, points
):
    entry = load_yaml(assignment, "rubric.yaml")[grade_id]
    assert entry["points"] == points
    assert entry["word_limit"] == stated_limit(prompt)
    criteria = entry["criteria"]
    ids = [criterion["id"] for criterion in criteria]
    assert len(ids) == len(set(ids)), f"criterion ids repeat: {ids}"
    assert sum(criterion["points"] for criterion in criteria) == points
    assert {criterion["kind"] for criterion in criteria} == KINDS, "substance and mechanics apart"
    for criterion in criteria:
        assert criterion["kind"] in KINDS, criterion["id"]
        assert criterion["points"] == 2, criterion["id"]
        assert criterion["text"].strip(), criterion["id"]
        levels = criterion["levels"]
        assert set(levels) == {0, 1, 2}, f"{criterion['id']}: levels {sorted(levels)}"
        assert all(isinstance(text, str) and text.strip() for text in levels.values())
        if criterion["kind"] == "mechanics":
            text = criterion["text"]
            assert f"at most {entry['word_limit']} words" in text, criterion["id"]
            for phrase in ("word for word", "straight or curly", "line breaks ignored"):
                assert phrase in text, f"{criterion['id']}: the rubric does not say {phrase!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_stated_points_agree_with_cells_and_rubric(assignment):
    """Headings, the overview table and the essay heading state the cells' points."""
    cells = notebook(assignment).cells
    per_question: dict[int, float] = {}
    manual_total = 0
    for cell in cells:
        meta = nbgrader_metadata(cell)
        if meta.get("grade"):
            number = int(meta["grade_id"].split("-")[0][1:])
            per_question[number] = per_question.get(number, 0) + meta["points"]
            manual_total += meta["points"] if is_manual(cell) else 0
    table = {int(n): int(p) for n, p in TABLE_ROW.findall(cells[0].source)}
    assert table == per_question, "the overview table disagrees with the cells' points"
    headings = {
        int(m.group(1)): int(m.group(2))
        for cell in cells
        if cell.cell_type == "markdown" and (m := QUESTION_HEADING.match(cell.source))
    }
    assert headings == per_question
    rubric = load_yaml(assignment, "rubric.yaml")
    assert sum(entry["points"] for entry in rubric.values()) == manual_total
    for cell in cells:
        essay = ESSAY_HEADING.match(cell.source) if cell.cell_type == "markdown" else None
        if essay:
            assert int(essay.group(1)) == manual_total


# --- exemplars -------------------------------------------------------------------------------


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_exemplars_cover_exactly_the_written_questions(assignment):
    exemplars = load_yaml(assignment, "exemplars.yaml")
    assert set(exemplars) == {grade_id for grade_id, *_ in written_questions(assignment)}
    for grade_id, items in exemplars.items():
        assert [item["level"] for item in items] == list(LEVELS), grade_id


@pytest.mark.parametrize("assignment, grade_id, prompt, answer, points", cases())
def test_exemplar_scores_add_up_under_the_rubric(assignment, grade_id, prompt, answer, points):
    criteria = load_yaml(assignment, "rubric.yaml")[grade_id]["criteria"]
    maxima = {criterion["id"]: criterion["points"] for criterion in criteria}
    scores = []
    for item in load_yaml(assignment, "exemplars.yaml")[grade_id]:
        level = item["level"]
        scored = item["criteria"]
        assert [entry["id"] for entry in scored] == list(maxima), f"{level}: criteria differ"
        for entry in scored:
            assert entry["score"] in range(0, maxima[entry["id"]] + 1), f"{level}/{entry['id']}"
            reason = entry["reason"]
            assert reason.strip() and "\n" not in reason.strip(), f"{level}/{entry['id']}"
            for number in WORDS_IN_REASON.findall(reason):
                assert int(number) == word_count(item["answer"]), (
                    f"{level}: reason says {number} words"
                )
        assert item["score"] == sum(entry["score"] for entry in scored), level
        assert 0 <= item["score"] <= points, level
        scores.append(item["score"])
    assert scores[0] == points, "the strong exemplar shows full marks"
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == 3, scores


@pytest.mark.parametrize("assignment, grade_id, prompt, answer, points", cases())
def test_strong_and_middling_exemplars_keep_the_rules(assignment, grade_id, prompt, answer, points):
    limit = stated_limit(prompt)
    for item in load_yaml(assignment, "exemplars.yaml")[grade_id]:
        if item["level"] == "weak":
            continue
        text = item["answer"]
        assert word_count(text) <= limit, (
            f"{item['level']}: {word_count(text)} words, limit {limit}"
        )
        assert quotation_findings(text), f"{item['level']}: quotes nothing"
        assert not quotation_problems(text), item["level"]


@pytest.mark.parametrize("assignment, grade_id, prompt, answer, points", cases())
def test_weak_exemplar_has_the_faults_it_claims(assignment, grade_id, prompt, answer, points):
    weak = load_yaml(assignment, "exemplars.yaml")[grade_id][-1]
    faults = set(weak["faults"])
    assert faults and faults <= FAULTS, faults
    if "over_limit" in faults:
        assert word_count(weak["answer"]) > stated_limit(prompt)
    if "misquotation" in faults:
        assert any("not verbatim" in problem for problem in quotation_problems(weak["answer"]))


# --- graders only ------------------------------------------------------------------------------


def _config():
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(COURSE_ROOT)).load_config()


def test_rubrics_and_exemplars_stay_with_graders():
    from coopcourse.grading.sandbox.workdir import PRIVATE_FILES

    ignored = _config().CourseDirectory.ignore
    for name in ("rubric.yaml", "exemplars.yaml", "hidden_checks.yaml"):
        assert name in ignored, f"nbgrader would release {name}: add it to CourseDirectory.ignore"
        assert name in PRIVATE_FILES, f"{name} would be copied into grading kernels"
    for assignment in ASSIGNMENTS:
        released = sorted(p.name for p in (COURSE_ROOT / "exercises" / assignment).iterdir())
        assert released == [f"{assignment}.ipynb"], released


def test_formgrader_shows_graders_the_level_descriptors():
    from coopcourse.grading.pipeline.assemble import rubric_cell
    from coopcourse.grading.pipeline.source import load_assignment

    source = load_assignment(COURSE_ROOT / "solutions", "a2_labour_response")
    cell = next(c for c in source.cells if c.kind == "manual")
    shown = rubric_cell(cell, source.rubric).source
    for criterion in source.rubric[cell.grade_id]["criteria"]:
        for level, descriptor in criterion["levels"].items():
            assert f"**{level}:** {descriptor}" in shown
