"""Lesson 3 states nothing about the mutual model that the model does not produce.

The lesson prints most model results from code cells. The few it states in
Markdown are found here (the table of defaults, a handful of sentences in fixed
wording, the model questions' keys) and checked against the model; any other
number in the model section's prose, outside equations and cited sentences,
fails the test, so a hand-copied figure cannot slip in.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace

import pytest

from coopcourse.models import mutual
from coopcourse.models.mutual import RANGES, MutualAssumptions, project
from coopcourse.quiz.bank import load_bank
from tests.lesson_files import COURSE_ROOT, read

LESSON = COURSE_ROOT / "lessons" / "03_union_objections.ipynb"
BASE = MutualAssumptions()
TABLE_ROW = re.compile(r"^\|\s*([^|]*?)\s*\|\s*`(\w+)`\s*\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|"
                       r"\s*([^|]+?)\s*\|\s*$", re.MULTILINE)
CITATION = re.compile(r"\[(?:R\d+|FT|LFF(?: #\d+)?)\]")


def markdown_cells() -> list[str]:
    return [c.source for c in read(LESSON).cells if c.cell_type == "markdown"]


def model_section() -> str:
    """The Markdown from '## 7.' (the model) up to 'What happened next'."""
    cells = markdown_cells()
    start = next(i for i, s in enumerate(cells) if s.startswith("## 7."))
    end = next(i for i, s in enumerate(cells) if s.startswith("### What happened next"))
    return "\n\n".join(cells[start:end])


def key_points_model_bullet() -> str:
    (cell,) = [s for s in markdown_cells() if s.startswith("## Key points")]
    (bullet,) = [line for line in cell.splitlines() if line.startswith("- In the mutual model")]
    return bullet


def shown(name: str, value) -> str:
    """How the lesson's table writes a value."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if name == "contract_term":
        return f"{value} years"
    if name == "average_salary":
        return f"£{value:,.0f}"
    if isinstance(value, int):
        return str(value)
    return f"{100 * value:g}%"


def shown_range(name: str) -> str:
    if name not in RANGES:
        return "not varied"
    low, high = RANGES[name]
    if isinstance(low, bool):
        return "no or yes"
    if name == "contract_term":
        return f"{low} to {high} years"
    return f"{shown(name, low)} to {shown(name, high)}"


# -- the table of defaults ---------------------------------------------------------

def table_rows() -> dict[str, tuple[str, str, str]]:
    rows = TABLE_ROW.findall(model_section())
    return {name: (default, reason, tested) for _, name, default, reason, tested in rows}


def test_the_table_lists_every_assumption_once():
    rows = TABLE_ROW.findall(model_section())
    names = [name for _, name, *_ in rows]
    assert sorted(names) == sorted(f.name for f in fields(MutualAssumptions))
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name", [f.name for f in fields(MutualAssumptions)])
def test_each_default_and_range_in_the_table_is_the_models(name):
    default, reason, tested = table_rows()[name]
    assert default == shown(name, getattr(BASE, name))
    assert tested == shown_range(name)
    # Each default is either sourced (a citation) or called an assumption or a horizon.
    assert CITATION.search(reason) or reason.startswith(("Assumption", "The horizon"))
    if name in mutual.SOURCES:
        assert CITATION.search(reason), f"{name} is sourced in the module: cite it"


# -- sentences that state model results --------------------------------------------

def _two_bids(assumptions: MutualAssumptions) -> tuple[float, float]:
    first = next(y for y in project(assumptions).years if y.retendered)
    return first.mutual_bid, first.rival_bid


def _margins_only(assumptions: MutualAssumptions) -> bool:
    mutual_bid, rival_bid = _two_bids(assumptions)
    ratio = (1 + assumptions.rival_margin) / (1 + assumptions.mutual_margin)
    return rival_bid / mutual_bid == pytest.approx(ratio)


def _flips(name: str) -> tuple:
    return next(r for r in mutual.sensitivity() if r.name == name).retender_flips_at


# Each statement: a pattern the lesson uses, and what the model must say for it to be true.
STATEMENTS = {
    r"[Aa]t the default settings the mutual keeps the contract at every retender":
        lambda m: project(BASE).lost_retender_year is None,
    r"[Tt]he surplus first turns negative in year (\d+), the last year of the first term":
        lambda m: project(BASE).first_loss_year == int(m.group(1)) == BASE.contract_term,
    r"[Ww]ithout Fair Deal,? (?:it|the mutual) loses its first retender":
        lambda m: project(replace(BASE, fair_deal=False)).lost_retender_year
        == BASE.contract_term,
    r"it flips if Fair Deal does not bind the rival, or if the rival can pay its recruits a "
    r"good deal less, or if the margins move":
        lambda m: all(_flips(n) for n in ("fair_deal", "rival_recruit_pay_cut",
                                           "mutual_margin", "rival_margin")),
    r"It does not flip with the NHS employer rate while Fair Deal binds":
        lambda m: BASE.fair_deal and _flips("nhs_employer_rate") == (),
    r"The two cost equations are now identical, and only the margins differ":
        lambda m: _margins_only(replace(BASE, rival_recruit_pay_cut=0.0)),
    r"No one is recruited, so no one is on worse terms, and the rival has nothing to gain":
        lambda m: _margins_only(replace(BASE, annual_turnover=0.0)),
    r"a rival with the same costs can win only by accepting a thinner margin than the mutual":
        lambda m: _same_costs_kept(BASE.mutual_margin)
        and not _same_costs_kept(BASE.mutual_margin - 0.005),
    r"keeps the contract at every retender, but narrowly":
        lambda m: all(y.rival_bid / y.mutual_bid < 1.02
                      for y in project(BASE).years if y.retendered),
    r"the for-profit rival asks a higher margin than the mutual":
        lambda m: BASE.rival_margin > BASE.mutual_margin,
    r"bidding at cost, with no margin, would have kept the contract at that retender":
        lambda m: _at_cost_without_fair_deal_keeps_first_retender(),
    r"loses its first retender unless it bids at cost":
        lambda m: _at_cost_without_fair_deal_keeps_first_retender()
        and project(replace(BASE, fair_deal=False)).lost_retender_year == BASE.contract_term,
}


def _same_costs_kept(rival_margin: float) -> bool:
    """With no labour-cost advantage, does the mutual keep the first retender?"""
    a = replace(BASE, rival_recruit_pay_cut=0.0, rival_margin=rival_margin)
    return next(y for y in project(a).years if y.retendered).won_retender


def _at_cost_without_fair_deal_keeps_first_retender() -> bool:
    a = replace(BASE, fair_deal=False, mutual_margin=0.0)
    return next(y for y in project(a).years if y.retendered).won_retender


def statement_matches(text: str) -> list[tuple[str, re.Match]]:
    return [(p, m) for p in STATEMENTS for m in re.finditer(p, text)]


def test_every_stated_model_result_agrees_with_the_model():
    text = model_section() + "\n" + key_points_model_bullet()
    found = statement_matches(text)
    assert {p for p, _ in found} == set(STATEMENTS), "a checked statement was reworded or cut"
    wrong = [m.group(0) for p, m in found if not STATEMENTS[p](m)]
    assert not wrong, f"the model does not say: {wrong}"


def test_no_other_number_is_stated_about_the_model():
    text = model_section() + "\n" + key_points_model_bullet()
    text = re.sub(r"^\|.*$", " ", text, flags=re.MULTILINE)  # the checked table
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$", " ", text, flags=re.DOTALL)  # equations
    text = re.sub(r"`[^`]*`|^#.*$", " ", text, flags=re.MULTILINE)  # code, headings
    text = re.sub(r"^\s*\d+\.\s", " ", text, flags=re.MULTILINE)  # list numbers
    for _, match in statement_matches(text):
        text = text.replace(match.group(0), " ")
    sentences = re.split(r"(?<=[.!?])\s+", text)
    stray = [s for s in sentences if re.search(r"\d", s) and not CITATION.search(s)]
    assert not stray, f"print model numbers from a code cell, or check them here: {stray}"


# -- the model questions' keys -----------------------------------------------------

def test_the_model_questions_keys_are_what_the_model_says():
    bank = {q.id: q for q in load_bank("03_union_objections").questions}
    fair_deal_key = next(o.text for o in bank["model-fair-deal"].options if o.correct)
    assert fair_deal_key.startswith("It loses its first retender")
    assert project(replace(BASE, fair_deal=False)).lost_retender_year == BASE.contract_term
    no_advantage_key = next(o.text for o in bank["model-no-advantage"].options if o.correct)
    assert no_advantage_key.startswith("Only the two margins")
    for turnover in (0.0, 0.1, 0.3):
        assert _margins_only(replace(BASE, rival_recruit_pay_cut=0.0, annual_turnover=turnover))
    assert project(replace(BASE, rival_recruit_pay_cut=0.0, mutual_margin=0.06)
                   ).lost_retender_year is not None
