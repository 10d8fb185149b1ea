"""The spun-out mutual: employer pensions, bids, retenders and TUPE.

Expected numbers are worked out here from the model's stated rules (hand
formulas), not read back from the module.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from coopcourse.models.mutual import (
    RANGES,
    MutualAssumptions,
    project,
    sensitivity,
    sensitivity_text,
    summary_text,
)

W = 100 * 30_000.0  # default staff x default pay per post
CUT = 0.98  # 1 - the default 2% yearly price cut
PRICE_FACTORS = sum(CUT**j for j in range(5))  # a five-year term


def mutual_cost(t: int, turnover: float = 0.10) -> float:
    """Default mutual, year t: pay W, NHS rate 14% on s(t), 7% on recruits, non-pay 25%."""
    s = (1 - turnover) ** t
    return W + W * (0.14 * s + 0.07 * (1 - s)) + 0.25 * W


def rival_cost(t: int, takeover: int, fair_deal: bool = True, pay_cut: float = 0.05,
               turnover: float = 0.10) -> float:
    """Default rival in year t after taking the staff over at the start of ``takeover``."""
    public = (1 - turnover) ** t
    kept = (1 - turnover) ** (t - takeover + 1)
    mutual_recruits, own_recruits = kept - public, 1 - kept
    salaries = W * (public + mutual_recruits + own_recruits * (1 - pay_cut))
    public_rate = 0.14 if fair_deal else 0.07
    pensions = W * (public * public_rate + (mutual_recruits + own_recruits * (1 - pay_cut)) * 0.07)
    return salaries + pensions + 0.25 * W


def hand_bid(costs: list[float], margin: float) -> float:
    return (1 + margin) * sum(costs) / PRICE_FACTORS


# -- pinned behaviour at the defaults -------------------------------------------

def test_first_year_costs_charge_the_employer_rate_not_the_pensions_value():
    first = project(MutualAssumptions()).years[0]
    assert first.salaries == pytest.approx(3_000_000.0)
    # 90% of staff in the NHS scheme at the 14% employer rate, 10% recruits at 7%
    assert first.pension_cost == pytest.approx(W * (0.9 * 0.14 + 0.1 * 0.07)) == 399_000.0
    assert first.other_costs == pytest.approx(750_000.0)
    assert first.pay_bill + first.other_costs == pytest.approx(mutual_cost(1)) == 4_149_000.0


def test_the_first_term_is_paid_at_the_mutuals_own_bid_falling_two_percent_a_year():
    projection = project(MutualAssumptions())
    price = hand_bid([mutual_cost(t) for t in range(1, 6)], 0.03)
    assert [y.contract_price for y in projection.years[:5]] == pytest.approx(
        [price * CUT**j for j in range(5)])
    # Over the term the mutual earns exactly its 3% margin on its costs.
    term_surplus = sum(y.surplus for y in projection.years[:5])
    assert term_surplus == pytest.approx(0.03 * sum(mutual_cost(t) for t in range(1, 6)))


def test_default_projection_year_by_year():
    projection = project(MutualAssumptions())
    assert [y.year for y in projection.years] == list(range(1, 11))
    for y in projection.years:
        assert y.surplus == pytest.approx(y.contract_price - mutual_cost(y.year))
        assert y.share_on_public_terms == pytest.approx(0.9**y.year)
    assert projection.retender_years == (5, 10)
    # The price falls 2% a year but costs fall more slowly, so the last year of each term
    # is a deficit paid for from the term's earlier surpluses.
    assert [y.year for y in projection.years if y.surplus < 0] == [5, 10]
    assert projection.first_loss_year == 5


def test_default_retender_bids_and_the_winner_is_paid_its_own_bid():
    projection = project(MutualAssumptions())
    year5 = projection.years[4]
    mutual = hand_bid([mutual_cost(t) for t in range(6, 11)], 0.03)
    rival = hand_bid([rival_cost(t, 6) for t in range(6, 11)], 0.05)
    assert year5.mutual_bid == pytest.approx(mutual)
    assert year5.rival_bid == pytest.approx(rival)
    assert mutual < rival and year5.won_retender is True
    assert [y.contract_price for y in projection.years[5:]] == pytest.approx(
        [mutual * CUT**j for j in range(5)])
    assert projection.lost_retender_year is None
    assert all(y.won_retender is None and y.mutual_bid is None and y.rival_bid is None
               for y in projection.years if not y.retendered)


def test_without_fair_deal_the_pension_gap_wins_the_rival_the_first_retender():
    projection = project(MutualAssumptions(fair_deal=False))
    year5 = projection.years[-1]
    assert year5.year == projection.lost_retender_year == 5 and len(projection.years) == 5
    assert year5.rival_bid == pytest.approx(
        hand_bid([rival_cost(t, 6, fair_deal=False) for t in range(6, 11)], 0.05))
    assert year5.rival_bid < year5.mutual_bid and year5.won_retender is False


def test_a_rival_paying_recruits_much_less_wins_once_turnover_has_worked():
    projection = project(MutualAssumptions(rival_recruit_pay_cut=0.15))
    assert projection.lost_retender_year == 5


# -- edge cases -------------------------------------------------------------------

@pytest.mark.parametrize("turnover", [0.0, 0.1, 0.3])
def test_with_fair_deal_and_no_pay_cut_the_rivals_costs_equal_the_mutuals(turnover):
    a = MutualAssumptions(rival_recruit_pay_cut=0.0, annual_turnover=turnover, rival_margin=0.03)
    year5 = project(a).years[4]
    assert year5.rival_bid == pytest.approx(year5.mutual_bid)
    assert year5.won_retender is True  # a tie goes to the incumbent


@pytest.mark.parametrize(("mutual", "rival", "kept"), [(0.03, 0.05, True), (0.05, 0.03, False),
                                                       (0.0, 0.0, True)])
def test_with_no_labour_cost_advantage_the_margins_alone_decide(mutual, rival, kept):
    a = MutualAssumptions(rival_recruit_pay_cut=0.0, mutual_margin=mutual, rival_margin=rival)
    assert (project(a).lost_retender_year is None) is kept


def test_zero_turnover_keeps_everyone_in_the_nhs_scheme():
    projection = project(MutualAssumptions(annual_turnover=0.0))
    assert [y.share_on_public_terms for y in projection.years] == [1.0] * 10
    assert all(y.pension_cost == pytest.approx(0.14 * W) for y in projection.years)
    # No recruits: the rival has no cost advantage and its higher margin loses.
    assert projection.lost_retender_year is None


def test_full_turnover_puts_everyone_on_recruit_terms_from_year_one():
    projection = project(MutualAssumptions(annual_turnover=1.0))
    assert [y.share_on_public_terms for y in projection.years] == [0.0] * 5
    # By year 6 every post would be held by the rival's cheaper recruits: it wins.
    assert projection.lost_retender_year == 5
    assert all(y.pension_cost == pytest.approx(0.07 * W) for y in projection.years)


def test_no_cut_no_margin_no_turnover_pays_exactly_the_cost():
    projection = project(MutualAssumptions(annual_price_cut=0.0, mutual_margin=0.0,
                                           annual_turnover=0.0))
    assert all(y.contract_price == pytest.approx(W * 1.39) for y in projection.years)
    assert all(y.surplus == pytest.approx(0.0, abs=1e-6) for y in projection.years)
    assert projection.first_loss_year is None


def test_a_term_longer_than_the_horizon_has_no_retender():
    projection = project(MutualAssumptions(contract_term=12, years=10))
    assert projection.retender_years == ()
    assert projection.lost_retender_year is None
    assert "not retendered" in summary_text(projection)


def test_pay_growth_raises_salaries_and_the_price():
    projection = project(MutualAssumptions(annual_pay_growth=0.03, contract_term=3, years=3))
    assert [y.salaries for y in projection.years] == pytest.approx([W, W * 1.03, W * 1.03**2])
    assert projection.years[0].contract_price > project(
        MutualAssumptions(contract_term=3, years=3)).years[0].contract_price


def test_a_one_year_term_is_retendered_every_year():
    projection = project(MutualAssumptions(contract_term=1, years=3))
    assert projection.retender_years == (1, 2, 3)
    year1 = projection.years[0]
    assert year1.contract_price == pytest.approx(1.03 * mutual_cost(1))
    assert year1.mutual_bid == pytest.approx(1.03 * mutual_cost(2))


def test_one_year_projection():
    projection = project(MutualAssumptions(years=1))
    assert len(projection.years) == 1
    assert summary_text(projection).count("After 1 year ") == 1


# -- monotonic properties ---------------------------------------------------------

def _loss_year_or_never(projection) -> float:
    year = projection.first_loss_year
    return math.inf if year is None else year


@pytest.mark.parametrize("turnover", [0.0, 0.1, 0.3])
def test_a_bigger_price_cut_never_delays_the_first_deficit(turnover):
    years = [_loss_year_or_never(project(MutualAssumptions(
        annual_turnover=turnover, annual_price_cut=0.005 * i, years=20))) for i in range(21)]
    assert years == sorted(years, reverse=True)


def test_a_bigger_rival_pay_cut_never_helps_the_mutual():
    gaps = [(lambda y: y.rival_bid - y.mutual_bid)(project(MutualAssumptions(
        rival_recruit_pay_cut=0.01 * i)).years[4]) for i in range(31)]
    assert gaps == sorted(gaps, reverse=True)


# -- the sensitivity table ----------------------------------------------------------

def test_sensitivity_covers_every_range_and_starts_from_the_defaults():
    rows = sensitivity()
    assert [r.name for r in rows] == list(RANGES)
    defaults = MutualAssumptions()
    for r in rows:
        assert r.base == getattr(defaults, r.name)
        assert r.low <= r.base <= r.high


def test_sensitivity_flip_values_match_hand_thresholds():
    rows = {r.name: r for r in sensitivity()}
    assert rows["fair_deal"].retender_flips_at == (False,)
    # The mutual keeps the contract while (1 + r) x rival costs >= 1.03 x its own.
    mutual = sum(mutual_cost(t) for t in range(6, 11))
    rival = sum(rival_cost(t, 6) for t in range(6, 11))
    threshold = 1.03 * mutual / rival - 1
    grid = [round(0.10 * i / 20, 6) for i in range(21)]
    assert rows["rival_margin"].retender_flips_at == tuple(r for r in grid if r < threshold)
    # With no price cut the price never falls below the falling costs: no deficit.
    assert 0.0 in rows["annual_price_cut"].deficit_flips_at


def test_sensitivity_text_lists_each_assumption_and_the_base_outcome():
    text = sensitivity_text(sensitivity())
    assert text.startswith("At the defaults, over 10 years: a deficit from year 5; "
                           "the mutual keeps the contract at every retender.")
    for name in RANGES:
        assert name in text
    assert text == sensitivity_text(sensitivity())  # repeatable


# -- the summary --------------------------------------------------------------------

def test_summary_of_the_defaults():
    text = summary_text(project(MutualAssumptions()))
    assert "After 10 years 35% of staff are still on NHS terms." in text
    assert "The surplus first turns negative in year 5." in text
    assert "keeps the contract at the retenders in years 5 and 10" in text
    assert text == summary_text(project(MutualAssumptions()))  # repeatable


def test_summary_of_a_lost_retender():
    text = summary_text(project(MutualAssumptions(fair_deal=False)))
    assert "loses the contract at the retender in year 5" in text
    assert "transfer to the rival under TUPE" in text


# -- bad input --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("staff", 0, "at least 1"),
        ("average_salary", 0.0, "greater than 0"),
        ("nhs_employer_rate", 1.5, "[0, 1]"),
        ("recruit_employer_rate", -0.1, "[0, 1]"),
        ("annual_turnover", 1.1, "[0, 1]"),
        ("annual_turnover", float("nan"), "finite"),
        ("non_pay_ratio", 6.0, "[0, 5]"),
        ("annual_price_cut", 1.0, "[0, 1)"),
        ("annual_pay_growth", 0.6, "[-0.5, 0.5]"),
        ("contract_term", 0, "at least 1"),
        ("mutual_margin", -0.01, "[0, 1]"),
        ("rival_margin", 1.2, "[0, 1]"),
        ("rival_recruit_pay_cut", 1.0, "[0, 1)"),
        ("mutual_recruit_pay_cut", -0.1, "[0, 1)"),
        ("years", 0, "at least 1"),
        ("years", 101, "at most 100"),
        ("average_salary", float("inf"), "finite"),
    ],
)
def test_out_of_range_fields_name_the_field_and_the_range(field, value, allowed):
    with pytest.raises(ValueError) as error:
        MutualAssumptions(**{field: value})
    assert field in str(error.value)
    assert allowed in str(error.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [("staff", 10.5), ("staff", True), ("years", "10"), ("annual_turnover", "0.1"),
     ("average_salary", None), ("fair_deal", 1), ("contract_term", 5.0)],
)
def test_wrong_types_are_type_errors(field, value):
    with pytest.raises(TypeError, match=field):
        MutualAssumptions(**{field: value})


def test_assumptions_are_frozen():
    assumptions = MutualAssumptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        assumptions.staff = 50


# -- the Fair Deal switch and the table's wording ------------------------------------

def test_fair_deal_changes_only_the_rivals_costs():
    """The mutual keeps its transferred staff in the NHS scheme either way."""
    with_it = project(MutualAssumptions())
    without = project(MutualAssumptions(fair_deal=False))
    for a, b in zip(with_it.years, without.years, strict=False):
        assert (a.pension_cost, a.surplus) == (b.pension_cost, b.surplus)
        assert a.mutual_bid == b.mutual_bid
    assert without.years[4].rival_bid < with_it.years[4].rival_bid


def test_flips_are_reported_run_by_run():
    from coopcourse.models.mutual import _flips

    assert _flips("x", ()) == "never"
    assert _flips("x", (0.1, 0.2, 0.4), [0.1, 0.2, 0.3, 0.4]) == "from 10% to 20%; at 40%"
    assert _flips("x", (0.3,), [0.1, 0.2, 0.3, 0.4]) == "at 30%"
    assert _flips("fair_deal", (False,)) == "at no"
