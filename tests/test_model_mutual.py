"""The spun-out mutual: pensions, price cuts and retendering.

Expected numbers are worked out here from the model's stated rules (hand
formulas), not read back from the module.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from coopcourse.models.mutual import MutualAssumptions, project, summary_text

SALARIES = 100 * 30_000.0  # default staff x default salary
DEFAULT_PRICE = SALARIES * 1.25 * 1.05 / 0.8  # in-house pay bill + 5%, plus 20% non-pay


def hand_surpluses(turnover: float, price_cut: float, years: int) -> list[float]:
    """Surplus by year for default staff, pay and pensions, with no retender."""
    result = []
    for year in range(1, years + 1):
        public = (1 - turnover) ** year
        pay_bill = SALARIES * (1 + 0.25 * public + 0.07 * (1 - public))
        price = DEFAULT_PRICE * (1 - price_cut) ** (year - 1)
        result.append(0.8 * price - pay_bill)
    return result


def first_negative(values: list[float]) -> int | None:
    return next((i + 1 for i, v in enumerate(values) if v < 0), None)


# -- pinned behaviour at the defaults -------------------------------------------

def test_default_starting_price_gives_a_small_first_year_surplus():
    assumptions = MutualAssumptions()
    assert assumptions.starting_price == pytest.approx(4_921_875.0)
    first = project(assumptions).years[0]
    assert first.contract_price == pytest.approx(4_921_875.0)
    assert first.share_on_public_terms == pytest.approx(0.9)
    assert first.salaries == pytest.approx(3_000_000.0)
    # pensions: 90% of staff at 25% of pay, 10% at 7%
    assert first.pension_cost == pytest.approx(3_000_000 * (0.9 * 0.25 + 0.1 * 0.07))
    assert first.pay_bill == pytest.approx(3_696_000.0)
    assert first.other_costs == pytest.approx(0.2 * 4_921_875.0)
    assert first.surplus == pytest.approx(241_500.0)


def test_default_projection_year_by_year():
    projection = project(MutualAssumptions())
    assert [y.year for y in projection.years] == list(range(1, 11))
    expected = hand_surpluses(0.10, 0.02, 10)
    assert [y.surplus for y in projection.years] == pytest.approx(expected)
    for result in projection.years:
        assert result.pay_bill == pytest.approx(result.salaries + result.pension_cost)
        assert result.surplus == pytest.approx(
            result.contract_price - result.pay_bill - result.other_costs
        )
        assert result.share_on_public_terms == pytest.approx(0.9 ** result.year)
    assert projection.first_loss_year == first_negative(expected) == 8
    assert projection.years[-1].share_on_public_terms == pytest.approx(0.3486784401)


def test_default_retenders_are_won():
    projection = project(MutualAssumptions())
    assert projection.retender_years == (5, 10)
    year5 = projection.years[4]
    public = 0.9**5
    assert year5.mutual_bid == pytest.approx(
        SALARIES * (1 + 0.25 * public + 0.07 * (1 - public)) / 0.8
    )
    assert year5.mutual_bid == pytest.approx(4_411_080.75)
    assert year5.rival_bid == pytest.approx(SALARIES * 1.25 * 0.9 / 0.75)  # 4.5 million
    assert year5.won_retender is True
    assert projection.lost_retender_year is None
    assert all(y.won_retender is None for y in projection.years if not y.retendered)
    assert all(y.mutual_bid is None and y.rival_bid is None
               for y in projection.years if not y.retendered)


def test_a_cheaper_rival_wins_the_first_retender_and_the_projection_stops():
    projection = project(MutualAssumptions(rival_labour_cost_discount=0.15))
    # rival: 3.75m x 0.85 / 0.75 = 4.25m, below the mutual's 4.411m
    assert projection.years[-1].rival_bid == pytest.approx(4_250_000.0)
    assert projection.lost_retender_year == 5
    assert len(projection.years) == 5
    assert projection.years[-1].won_retender is False
    assert projection.first_loss_year is None


def test_winning_a_retender_caps_the_price_at_the_rival_bid():
    # No price cuts: the planned price stays 4.92m, but to keep the contract at
    # the year-5 retender the mutual must match the rival's 4.5m.
    projection = project(MutualAssumptions(annual_price_cut=0.0))
    prices = [y.contract_price for y in projection.years]
    assert prices[:5] == pytest.approx([DEFAULT_PRICE] * 5)
    assert prices[5:] == pytest.approx([4_500_000.0] * 5)


def test_a_tie_goes_to_the_incumbent():
    # Rival margin and discount chosen so that both bids are 3.75m / 0.8 with
    # no turnover: rival = 3.75m x (1 - d) / (0.8 - m) with d = 0, m = 0.
    projection = project(MutualAssumptions(annual_turnover=0.0,
                                           rival_labour_cost_discount=0.0, rival_margin=0.0))
    year5 = projection.years[4]
    assert year5.mutual_bid == pytest.approx(year5.rival_bid)
    assert year5.won_retender is True


# -- edge cases -------------------------------------------------------------------

def test_zero_turnover_keeps_everyone_on_public_terms():
    projection = project(MutualAssumptions(annual_turnover=0.0, retender_every=50))
    assert [y.share_on_public_terms for y in projection.years] == [1.0] * 10
    assert all(y.pension_cost == pytest.approx(0.25 * SALARIES) for y in projection.years)


def test_full_turnover_puts_everyone_on_recruit_terms_from_year_one():
    projection = project(MutualAssumptions(annual_turnover=1.0))
    assert [y.share_on_public_terms for y in projection.years] == [0.0] * 10
    assert all(y.pension_cost == pytest.approx(0.07 * SALARIES) for y in projection.years)


def test_no_price_cut_and_no_retender_keeps_the_price_constant():
    projection = project(MutualAssumptions(annual_price_cut=0.0, retender_every=11))
    assert [y.contract_price for y in projection.years] == pytest.approx([DEFAULT_PRICE] * 10)


def test_no_retender_within_the_horizon():
    projection = project(MutualAssumptions(retender_every=12, years=10))
    assert projection.retender_years == ()
    assert projection.lost_retender_year is None
    assert all(not y.retendered and y.won_retender is None for y in projection.years)
    assert "not retendered" in summary_text(projection)


def test_given_contract_price_and_pay_growth():
    projection = project(MutualAssumptions(initial_contract_price=5_000_000.0,
                                           annual_pay_growth=0.03, retender_every=50, years=3))
    assert projection.years[0].contract_price == 5_000_000.0
    assert [y.salaries for y in projection.years] == pytest.approx(
        [SALARIES, SALARIES * 1.03, SALARIES * 1.03**2]
    )


def test_one_year_projection():
    projection = project(MutualAssumptions(years=1))
    assert len(projection.years) == 1
    assert summary_text(projection).count("After 1 year ") == 1


# -- monotonic properties ---------------------------------------------------------

def _loss_year_or_never(projection) -> float:
    year = projection.first_loss_year
    return math.inf if year is None else year


@pytest.mark.parametrize("turnover", [0.0, 0.05, 0.1, 0.3])
@pytest.mark.parametrize("retender_every", [3, 5, 50])
def test_a_bigger_price_cut_never_delays_the_first_loss(turnover, retender_every):
    cuts = [0.005 * i for i in range(21)]  # 0% to 10%
    loss_years = [
        _loss_year_or_never(project(MutualAssumptions(
            annual_turnover=turnover, annual_price_cut=cut, retender_every=retender_every,
            years=20)))
        for cut in cuts
    ]
    assert loss_years == sorted(loss_years, reverse=True)
    assert loss_years[-1] < math.inf  # a 10% annual cut ends in deficit


def test_first_loss_year_matches_hand_calculation_across_cuts():
    for cut in (0.0, 0.01, 0.02, 0.04, 0.08):
        projection = project(MutualAssumptions(annual_price_cut=cut, retender_every=50))
        assert projection.first_loss_year == first_negative(hand_surpluses(0.1, cut, 10))


def test_more_turnover_never_raises_the_pay_bill():
    bills = [
        [y.pay_bill for y in project(MutualAssumptions(annual_turnover=t,
                                                       retender_every=50)).years]
        for t in (0.0, 0.05, 0.1, 0.2, 0.5, 1.0)
    ]
    for lower, higher in zip(bills, bills[1:], strict=False):
        assert all(h <= low + 1e-6 for h, low in zip(higher, lower, strict=True))


# -- the summary --------------------------------------------------------------------

def test_summary_of_the_defaults():
    text = summary_text(project(MutualAssumptions()))
    assert "£4,922 thousand a year" in text
    assert "surplus of £242 thousand in year 1" in text
    assert "After 10 years 35% of staff are still on public-sector terms." in text
    assert "The surplus turns negative in year 8." in text
    assert "keeps the contract at the retenders in years 5 and 10" in text
    assert text == summary_text(project(MutualAssumptions()))  # repeatable


def test_summary_of_a_lost_retender_and_an_opening_deficit():
    lost = summary_text(project(MutualAssumptions(rival_labour_cost_discount=0.15)))
    assert "The contract would be lost at the retender in year 5" in lost
    assert "£4,411 thousand" in lost and "£4,250 thousand" in lost
    assert "stays positive in every year shown" in lost
    deficit = summary_text(project(MutualAssumptions(initial_contract_price=4_000_000.0)))
    assert "deficit of £496 thousand in year 1" in deficit  # 0.8 x 4m - 3.696m
    assert "The surplus turns negative in year 1." in deficit


# -- bad input --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("staff", 0, "at least 1"),
        ("average_salary", 0.0, "greater than 0"),
        ("transferred_pension_rate", 1.5, "[0, 1]"),
        ("recruit_pension_rate", -0.1, "[0, 1]"),
        ("annual_turnover", 1.1, "[0, 1]"),
        ("annual_turnover", float("nan"), "finite"),
        ("non_pay_share", 0.95, "[0, 0.9]"),
        ("initial_contract_price", -1.0, "greater than 0"),
        ("annual_price_cut", 1.0, "[0, 1)"),
        ("annual_pay_growth", 0.6, "[-0.5, 0.5]"),
        ("retender_every", 0, "at least 1"),
        ("rival_labour_cost_discount", 1.0, "[0, 1)"),
        ("rival_margin", 0.6, "[0, 0.5]"),
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
     ("average_salary", None)],
)
def test_wrong_types_are_type_errors(field, value):
    with pytest.raises(TypeError, match=field):
        MutualAssumptions(**{field: value})


def test_non_pay_share_and_margin_must_leave_room_for_labour():
    with pytest.raises(ValueError, match="non_pay_share \\+ rival_margin"):
        MutualAssumptions(non_pay_share=0.6, rival_margin=0.45)


def test_assumptions_are_frozen():
    assumptions = MutualAssumptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        assumptions.staff = 50
