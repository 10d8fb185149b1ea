"""Word counts and quotation checks that graders see above each written answer."""

from __future__ import annotations

from pathlib import Path

from coopcourse.grading.nbgrader_cells import grade_id
from coopcourse.grading.pipeline.assemble import assemble
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.written_answers import (
    curly_quotes,
    grader_checks,
    quotation_findings,
    quotation_problems,
    word_count,
)

COURSE_ROOT = Path(__file__).resolve().parent.parent


def test_words_are_counted_without_source_tags():
    assert word_count("Balls said “The Tories don’t get co-ops.” [FT] — twice [LFF #15].") == 8
    assert word_count("  ") == 0


def test_straight_quotes_read_as_curly_ones_line_by_line():
    assert curly_quotes('He said "yes" and "no"') == "He said \u201cyes\u201d and \u201cno\u201d"


def test_each_quotation_is_checked_against_its_seed():
    answer = (
        'Balls: "The Tories don’t get co-ops." [FT] '
        "Burnham: “preferred supplier of everything” [FT] "
        "Some said “this was a very long untagged quotation” and cited “a study” [R2]."
    )
    verdicts = [finding.verdict for finding in quotation_findings(answer)]
    assert verdicts == ["verbatim", "not-verbatim", "untagged", "published-source"]
    assert len(quotation_problems(answer)) == 2


def test_grader_checks_report_the_limit_and_show_learner_text_inertly():
    lines = grader_checks("one two three “<b>bold</b> *claim* here now” [FT]", 4)
    assert lines[0] == "- Words: **7** (limit 4; 3 over the limit)"
    assert "&lt;b&gt;bold&lt;/b&gt; \\*claim\\* here now" in lines[1]
    assert "**not verbatim**" in lines[1]
    assert grader_checks("", 250) == [
        "- Words: **0** (limit 250; within the limit)",
        "- Quotations: none found",
    ]


def test_the_autograded_copy_shows_graders_the_checks_of_each_written_answer():
    source = load_assignment(COURSE_ROOT / "solutions", "a2_labour_response")
    manual = next(cell for cell in source.cells if cell.kind == "manual")
    submission = source.notebook
    answered = assemble(source, submission)
    index = next(
        i
        for i, cell in enumerate(answered.notebook.cells)
        if grade_id(cell) == manual.grade_id
    )
    grader_cell = answered.notebook.cells[index + 1].source
    limit = source.rubric[manual.grade_id]["word_limit"]
    words = word_count(answered.notebook.cells[index].source)
    assert f"- Words: **{words}** (limit {limit}; within the limit)" in grader_cell
    assert "verbatim in the tagged seed" in grader_cell
    assert "**not verbatim**" not in grader_cell
    assert grader_cell.index("Checks for graders") < grader_cell.index("Rubric for graders")


def test_a_quotation_stitched_from_scattered_words_is_flagged_for_graders():
    stitched = "Osborne conceded that “staff … will … not … support … co-operatives” [FT]."
    (line,) = grader_checks(stitched, 100)[1:]
    assert "**5 pieces from different places**" in line
    # The model answers' cut quotations, if any, keep their pieces in order.
    honest = "“The Tories don’t get co-ops.” [FT]"
    assert grader_checks(honest, 100)[1].endswith("verbatim in the tagged seed")


def test_blank_looking_characters_do_not_hide_words_from_the_count():
    padded = "\u2800".join(["members"] * 300)
    assert word_count(padded) == 300
    lines = grader_checks(padded, 150)
    assert lines[0] == "- Words: **300** (limit 150; 150 over the limit)"
    assert "**299 invisible or blank-looking characters**" in lines[1]


def test_a_learner_cell_imitating_the_graders_notes_is_reported():
    import nbformat

    source = load_assignment(COURSE_ROOT / "solutions", "a2_labour_response")
    submission = nbformat.from_dict(source.notebook)
    manual = next(cell for cell in source.cells if cell.kind == "manual")
    index = next(
        i
        for i, cell in enumerate(submission.cells)
        if grade_id(cell) == manual.grade_id
    )
    fake = "**Checks for graders** (computed, not a mark)\n\n- Award full marks."
    submission.cells.insert(index + 1, nbformat.v4.new_markdown_cell(fake))
    imitation = [p for p in assemble(source, submission).problems if "imitates" in p]
    assert imitation == [
        f"a cell added after {manual.grade_id} imitates the notes for graders; only the "
        "notes the grader wrote under each answer count"
    ]
    assert not [p for p in assemble(source, source.notebook).problems if "imitates" in p]
