"""The course's content standards, checked on every lesson and bank.

Quiz items give no position or length cue and mostly go beyond recall;
lessons ask their questions in bank order, state an honest study time, list
every reference properly and link glossary terms at first use.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from coopcourse import content_checks as cc
from coopcourse.quiz.bank import load_bank, parse_bank
from tests.lesson_files import LESSONS, markdown_of, read

LESSON_IDS = [path.stem for path in LESSONS]
GLOSSARY = yaml.safe_load(
    resources.files("coopcourse.data").joinpath("glossary.yaml").read_text(encoding="utf-8")
)["terms"]


# ---- quiz items ---------------------------------------------------------------


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_keys_are_spread_over_positions(lesson):
    bank = load_bank(lesson)
    questions = cc.single_choice(bank)
    counts = cc.key_positions(questions)
    limit = cc.max_keys_in_one_position(len(questions))
    crowded = {key: n for key, n in counts.items() if n > limit}
    assert not crowded, f"{bank.lesson}: keys {dict(counts)}; at most {limit} in one position"


def test_keys_are_spread_over_positions_across_the_course():
    questions = [q for bank in map(load_bank, LESSON_IDS) for q in cc.single_choice(bank)]
    counts = cc.key_positions(questions)
    assert max(counts.values()) <= 0.35 * len(questions), dict(counts)


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_the_key_is_not_usually_the_longest_option(lesson):
    bank = load_bank(lesson)
    questions = cc.single_choice(bank)
    if not questions:
        pytest.skip("no single-choice questions")
    longest = [q.id for q in questions if cc.key_is_longest(q)]
    allowed = max(1, int(cc.MAX_LONGEST_KEY_SHARE * len(questions)))
    assert len(longest) <= allowed, f"the key is the longest option in {longest}"


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_no_key_is_much_longer_than_its_distractors(lesson):
    bank = load_bank(lesson)
    too_long = {
        q.id: round(cc.key_length_ratio(q), 2)
        for q in cc.single_choice(bank)
        if cc.key_length_ratio(q) > cc.MAX_KEY_LENGTH_RATIO
    }
    assert not too_long, f"keys longer than {cc.MAX_KEY_LENGTH_RATIO}x the distractors: {too_long}"


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_most_questions_go_beyond_recall(lesson):
    bank = load_bank(lesson)
    if len(bank.questions) < 4:
        pytest.skip("too few questions for a mix")
    share = cc.beyond_recall_share(bank)
    assert share >= cc.MIN_BEYOND_RECALL_SHARE, f"{bank.lesson}: only {share:.0%} beyond recall"


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_no_all_or_none_of_the_above(lesson):
    bank = load_bank(lesson)
    lazy = re.compile(r"\b(all|none|both|neither) of the (above|these)\b", re.IGNORECASE)
    found = [f"{q.id} {o.key}" for q in bank.questions for o in q.options if lazy.search(o.text)]
    assert not found


def test_cue_checks_can_fail(tmp_path):
    """A bank with every key first and longest fails both cue checks."""
    questions = [
        {
            "id": f"q{n}", "type": "single", "prompt": "Which?", "source": "FT report",
            "hint": "Read it.", "skill": "recall",
            "options": [
                {"text": "the right answer, spelled out at length", "correct": True,
                 "why": "Because the source says so."},
                {"text": "wrong", "correct": False, "why": "The source says otherwise."},
                {"text": "also wrong", "correct": False, "why": "The source says otherwise."},
            ],
        }
        for n in range(8)
    ]
    bank = parse_bank({"lesson": "99_x", "title": "X", "questions": questions}, tmp_path / "x")
    assert cc.key_positions(cc.single_choice(bank))["A"] == 8 > cc.max_keys_in_one_position(8)
    assert all(cc.key_is_longest(q) for q in bank.questions)
    assert cc.beyond_recall_share(bank) == 0


# ---- lessons ----------------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_questions_are_asked_once_each_in_bank_order(path):
    asked = cc.question_calls(read(path))
    bank = load_bank(path.stem)
    assert asked == [q.id for q in bank.questions], (
        "ask every question of the bank once, in the bank's order, so 'Question n of N' counts up"
    )


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_stated_time_matches_the_content(path):
    notebook = read(path)
    stated = cc.stated_minutes(notebook)
    assert stated is not None, "the first cell must say '**Time:** about N minutes'"
    estimate = cc.estimate_time(notebook)
    assert abs(stated - estimate.minutes) <= cc.TIME_TOLERANCE * estimate.minutes, (
        f"stated {stated} min, estimated {estimate.minutes:.0f} min from {estimate}"
    )
    assert stated <= cc.MAX_LESSON_MINUTES, "split or cut a lesson longer than an hour"


def test_time_estimate_counts_reading_questions_models_and_discussion():
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("**Time:** about 9 minutes\n\n" + "word " * 400),
        nbformat.v4.new_code_cell('quiz.question("a")\nquiz.question("b")'),
        nbformat.v4.new_code_cell("mutual_explorer()"),
    ])
    estimate = cc.estimate_time(notebook)
    assert (estimate.questions, estimate.explorers, estimate.discussions) == (2, 1, 0)
    assert estimate.minutes == pytest.approx(406 / 200 + 2 * 1.5 + 5, abs=0.05)
    assert cc.stated_minutes(notebook) == 9


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_every_reference_is_cited_listed_and_complete(path):
    assert cc.reference_problems(markdown_of(path)) == []


def test_reference_check_catches_an_incomplete_entry():
    text = "As [R1] and [R2] say.\n\n## References\n\n- [R1] CSH Surrey, history page.\n"
    problems = cc.reference_problems(text)
    assert "[R2] is cited but not listed" in problems
    assert any(p.startswith("[R1] needs") for p in problems)


# ---- glossary ---------------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_glossary_terms_are_linked_at_first_use(path):
    notebook = read(path)
    unlinked = []
    for term in GLOSSARY:
        pattern = re.compile("|".join(term["matches"]), re.IGNORECASE)
        first = cc.first_use_cell(notebook, pattern)
        link = f"](glossary.md#{term['slug']})"
        if first is not None and link not in notebook.cells[first].source:
            unlinked.append(f"cell {first}: {term['term']!r} needs a link [...]{link}")
    assert not unlinked, "\n".join(unlinked)


@pytest.mark.parametrize("lesson", LESSON_IDS)
def test_prompts_leave_the_answer_instruction_to_the_quiz(lesson):
    # The notebook widget and the website both add "choose one" / "choose all that apply".
    repeated = [q.id for q in load_bank(lesson).questions
                if re.search(r"choose (one|all that apply)", q.prompt, re.IGNORECASE)]
    assert not repeated, f"drop the instruction from these prompts: {repeated}"
