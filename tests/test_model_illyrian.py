"""The Illyrian (labour-managed) firm against the profit-maximising firm.

Expected values are worked out by hand or found numerically here (golden-section
search, bisection), never read back from the module under test.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

from coopcourse.models import illyrian
from coopcourse.models.illyrian import (
    FirmParameters,
    compare_firms,
    crossover_price,
    income_per_member,
    labour_managed_employment,
    labour_managed_output,
    marginal_revenue_product,
    output,
    profit,
    profit_maximising_employment,
)

PRICES = [0.5 + 0.25 * i for i in range(31)]  # £0.50 to £8.00
FIRMS = [
    FirmParameters(productivity=10.0, elasticity=0.5, fixed_cost=50.0, wage=4.0),
    FirmParameters(productivity=3.0, elasticity=0.3, fixed_cost=20.0, wage=2.5),
    FirmParameters(productivity=25.0, elasticity=0.75, fixed_cost=400.0, wage=9.0),
]


def golden_section_max(f, low: float, high: float, tolerance: float = 1e-10) -> float:
    """Where a single-peaked ``f`` is highest on [low, high]."""
    ratio = (math.sqrt(5) - 1) / 2
    a, b = low, high
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    while b - a > tolerance * max(1.0, abs(a)):
        if f(c) > f(d):
            b, d = d, c
            c = b - ratio * (b - a)
        else:
            a, c = c, d
            d = a + ratio * (b - a)
    return (a + b) / 2


def bisect_root(f, low: float, high: float) -> float:
    f_low = f(low)
    assert f_low * f(high) < 0, "the bracket must contain a sign change"
    for _ in range(200):
        middle = (low + high) / 2
        if (f(middle) < 0) == (f_low < 0):
            low = middle
        else:
            high = middle
    return (low + high) / 2


# -- the worked example of the course (A=10, a=0.5, F=50, w=4) -----------------

def test_worked_example_at_price_two():
    # L* = (0.5*2*10/4)^2 = 2.5^2; L** = (50/(0.5*2*10))^2 = 5^2
    assert profit_maximising_employment(2.0) == pytest.approx(6.25)
    assert labour_managed_employment(2.0) == pytest.approx(25.0)


def test_worked_example_at_price_three():
    # L* = 3.75^2 = 14.0625; L** = (50/15)^2 = 100/9; y = (30*sqrt(100/9) - 50)/(100/9)
    assert profit_maximising_employment(3.0) == pytest.approx(14.0625)
    assert profit_maximising_employment(3.0) == pytest.approx(14.06, abs=0.005)
    members = labour_managed_employment(3.0)
    assert members == pytest.approx(100 / 9)
    assert members == pytest.approx(11.11, abs=0.005)
    assert income_per_member(members, 3.0) == pytest.approx(4.5)
    assert labour_managed_output(3.0) == pytest.approx(100 / 3)  # 50 / (0.5 * 3)


def test_accounting_identities_by_hand():
    assert output(16.0) == pytest.approx(40.0)  # 10 * 16^0.5
    assert profit(16.0, 3.0) == pytest.approx(3 * 40 - 4 * 16 - 50)
    assert income_per_member(16.0, 3.0) == pytest.approx((3 * 40 - 50) / 16)
    assert output(0.0) == 0.0


def test_compare_firms_collects_both_choices():
    result = compare_firms(3.0)
    assert result.price == 3.0 and result.wage == 4.0
    assert result.profit_max_employment == pytest.approx(14.0625)
    assert result.profit_max_output == pytest.approx(37.5)  # 10 * 3.75
    assert result.profit == pytest.approx(3 * 37.5 - 4 * 14.0625 - 50)
    assert result.labour_managed_employment == pytest.approx(100 / 9)
    assert result.labour_managed_output == pytest.approx(100 / 3)
    assert result.income_per_member == pytest.approx(4.5)
    assert result.larger_employer == "profit-maximising"
    assert result.cooperative_employs_fewer
    assert compare_firms(2.0).larger_employer == "labour-managed"
    with pytest.raises(AttributeError):
        result.price = 4.0  # frozen


def test_marginal_revenue_product_by_hand():
    # a p A L^(a-1) = 0.5 * 3 * 10 / sqrt(16) = 3.75
    assert marginal_revenue_product(16.0, 3.0) == pytest.approx(3.75)
    # a numerical derivative of revenue p A L^a agrees
    step = 1e-6
    slope = (3.0 * output(16.0 + step) - 3.0 * output(16.0 - step)) / (2 * step)
    assert marginal_revenue_product(16.0, 3.0) == pytest.approx(slope, rel=1e-6)


@pytest.mark.parametrize("firm", FIRMS)
@pytest.mark.parametrize("price", [1.0, 3.0, 6.0])
def test_each_firm_stops_where_the_last_worker_earns_their_cost(firm, price):
    result = compare_firms(price, firm)
    assert marginal_revenue_product(result.profit_max_employment, price, firm) == (
        pytest.approx(firm.wage)
    )
    assert marginal_revenue_product(result.labour_managed_employment, price, firm) == (
        pytest.approx(result.income_per_member)
    )


def test_a_price_rise_leaves_the_last_member_earning_less_than_the_average():
    # At the membership chosen at p = 3 (100/9), a rise to p = 4 lifts the last
    # member's revenue by a third (4.50 -> 6.00) but income per member by more
    # (4.50 -> 7.50), because the fixed cost per member (4.50) does not rise.
    members = labour_managed_employment(3.0)
    assert marginal_revenue_product(members, 3.0) == pytest.approx(4.5)
    assert marginal_revenue_product(members, 4.0) == pytest.approx(6.0)
    assert income_per_member(members, 4.0) == pytest.approx(7.5)
    assert 50.0 / members == pytest.approx(4.5)
    # ... so shedding members raises income per member, down to L** = 6.25 at p = 4
    assert income_per_member(members * 0.9, 4.0) > income_per_member(members, 4.0)
    assert labour_managed_employment(4.0) == pytest.approx(6.25)
    assert income_per_member(6.25, 4.0) == pytest.approx(8.0)


def test_a_larger_fixed_cost_means_a_larger_cooperative():
    larger = dataclasses.replace(illyrian.WORKED_EXAMPLE, fixed_cost=200.0)
    # L** = (200 / (0.5 * 3 * 10))^2 = 1600/9: four times F, sixteen times the members (a = 0.5)
    assert labour_managed_employment(3.0, larger) == pytest.approx(1600 / 9)
    assert profit_maximising_employment(3.0, larger) == profit_maximising_employment(3.0)


def test_a_price_fall_makes_the_cooperative_take_on_members():
    assert labour_managed_employment(2.5) > labour_managed_employment(3.0)
    assert labour_managed_employment(2.5) == pytest.approx(16.0)  # (50 / 12.5)^2


def test_without_a_fixed_cost_income_per_member_rises_as_membership_shrinks():
    # With F = 0, y = p A L^(a-1), the average revenue product, which always
    # exceeds the marginal one: every member lowers the others' income.
    no_fixed_cost = FirmParameters(fixed_cost=0.0)
    sizes = [0.5, 1.0, 2.0, 5.0, 10.0, 50.0]
    incomes = [income_per_member(size, 3.0, no_fixed_cost) for size in sizes]
    assert incomes == sorted(incomes, reverse=True)
    for size in sizes:
        assert marginal_revenue_product(size, 3.0) < income_per_member(size, 3.0, no_fixed_cost)


# -- the theory: who employs more, and the crossover ---------------------------

@pytest.mark.parametrize("firm", FIRMS)
def test_cooperative_employs_fewer_exactly_when_income_exceeds_wage(firm):
    crossing = crossover_price(firm)
    for price in PRICES + [crossing * 0.5, crossing * 0.99, crossing * 1.01, crossing * 2]:
        result = compare_firms(price, firm)
        if math.isclose(result.income_per_member, firm.wage, rel_tol=1e-9):
            continue  # the crossover itself is tested below
        income_above_wage = result.income_per_member > firm.wage
        assert (result.labour_managed_employment < result.profit_max_employment) == (
            income_above_wage
        ), price
        # ... which is also exactly when the conventional firm makes a profit
        assert (result.profit > 0) == income_above_wage, price


def test_crossover_price_closed_form_for_the_worked_example():
    # common L = a F / ((1-a) w) = 12.5; p = w L^(1-a) / (a A) = 4 * sqrt(12.5) / 5
    assert crossover_price() == pytest.approx(4 * math.sqrt(12.5) / 5)
    assert crossover_price() == pytest.approx(2.828, abs=0.001)


@pytest.mark.parametrize("firm", FIRMS)
def test_crossover_price_agrees_with_a_numerical_root(firm):
    def employment_gap(price):
        return profit_maximising_employment(price, firm) - labour_managed_employment(price, firm)

    numerical = bisect_root(employment_gap, 1e-3, 1e3)
    assert crossover_price(firm) == pytest.approx(numerical, rel=1e-9)
    at_crossing = compare_firms(numerical, firm)
    assert at_crossing.labour_managed_employment == pytest.approx(
        at_crossing.profit_max_employment, rel=1e-6
    )
    assert at_crossing.income_per_member == pytest.approx(firm.wage, rel=1e-6)
    assert at_crossing.profit == pytest.approx(0.0, abs=1e-6 * firm.fixed_cost)
    assert compare_firms(crossover_price(firm), firm).larger_employer == "equal"


@pytest.mark.parametrize("firm", FIRMS)
def test_supply_responses_have_opposite_signs(firm):
    results = [compare_firms(p, firm) for p in PRICES]
    for lower, higher in zip(results, results[1:], strict=False):
        assert higher.labour_managed_output < lower.labour_managed_output
        assert higher.labour_managed_employment < lower.labour_managed_employment
        assert higher.profit_max_output > lower.profit_max_output
        assert higher.profit_max_employment > lower.profit_max_employment


# -- the closed forms really are the optima ------------------------------------

@pytest.mark.parametrize("firm", FIRMS)
@pytest.mark.parametrize("price", [1.0, 3.0, 6.0])
def test_labour_managed_employment_maximises_income_per_member(firm, price):
    def income(labour):
        return income_per_member(labour, price, firm)

    best = golden_section_max(income, 1e-6, 1e7)
    closed_form = labour_managed_employment(price, firm)
    assert closed_form == pytest.approx(best, rel=1e-4)
    for step in (0.9, 0.99, 1.01, 1.1):
        assert income(closed_form) > income(closed_form * step)


@pytest.mark.parametrize("firm", FIRMS)
@pytest.mark.parametrize("price", [1.0, 3.0, 6.0])
def test_profit_maximising_employment_maximises_profit(firm, price):
    def firm_profit(labour):
        return profit(labour, price, firm)

    best = golden_section_max(firm_profit, 0.0, 1e7)
    closed_form = profit_maximising_employment(price, firm)
    assert closed_form == pytest.approx(best, rel=1e-4)
    for step in (0.9, 0.99, 1.01, 1.1):
        assert firm_profit(closed_form) > firm_profit(closed_form * step)


def test_fine_grid_agrees_with_the_worked_example():
    grid = [0.01 * i for i in range(1, 10_001)]  # 0.01 to 100 workers
    best_members = max(grid, key=lambda labour: income_per_member(labour, 3.0))
    best_staff = max(grid, key=lambda labour: profit(labour, 3.0))
    assert best_members == pytest.approx(11.11, abs=0.01)
    assert best_staff == pytest.approx(14.06, abs=0.01)


# -- bad input -----------------------------------------------------------------

def test_firm_parameters_are_frozen():
    firm = FirmParameters()
    with pytest.raises(dataclasses.FrozenInstanceError):
        firm.wage = 5.0


@pytest.mark.parametrize(
    ("field", "value", "allowed"),
    [
        ("productivity", 0.0, "greater than 0"),
        ("productivity", -10.0, "greater than 0"),
        ("productivity", float("inf"), "finite"),
        ("elasticity", 0.0, "(0, 1)"),
        ("elasticity", 1.0, "(0, 1)"),
        ("elasticity", 1.5, "(0, 1)"),
        ("elasticity", float("nan"), "finite"),
        ("fixed_cost", -5.0, "0 or more"),
        ("fixed_cost", float("nan"), "finite"),
        ("wage", 0.0, "greater than 0"),
        ("wage", -4.0, "greater than 0"),
    ],
)
def test_out_of_range_fields_name_the_field_and_the_range(field, value, allowed):
    with pytest.raises(ValueError) as error:
        FirmParameters(**{field: value})
    assert field in str(error.value)
    assert allowed in str(error.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [("productivity", "10"), ("elasticity", None), ("fixed_cost", True), ("wage", [4.0])],
)
def test_wrong_field_types_are_type_errors(field, value):
    with pytest.raises(TypeError, match=field):
        FirmParameters(**{field: value})


def test_a_firm_without_a_fixed_cost_is_allowed_but_has_no_cooperative_optimum():
    # Profit and income per member are defined at F = 0; the co-operative's best
    # size is not (income per member rises without limit as membership shrinks).
    no_fixed_cost = FirmParameters(fixed_cost=0.0)
    assert profit(16.0, 3.0, no_fixed_cost) == pytest.approx(3 * 40 - 4 * 16)
    for call in (labour_managed_employment, labour_managed_output, compare_firms):
        with pytest.raises(ValueError, match="fixed_cost must be greater than 0"):
            call(3.0, no_fixed_cost)
    with pytest.raises(ValueError, match="fixed_cost"):
        crossover_price(no_fixed_cost)


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: profit_maximising_employment(0.0), "price"),
        (lambda: profit_maximising_employment(-1.0), "price"),
        (lambda: output(-1.0), "labour"),
        (lambda: income_per_member(0.0, 3.0), "labour"),
        (lambda: marginal_revenue_product(0.0, 3.0), "labour"),
        (lambda: profit(10.0, float("nan")), "price"),
        (lambda: compare_firms(float("inf")), "price"),
    ],
)
def test_out_of_range_inputs_name_the_parameter(call, parameter):
    with pytest.raises(ValueError, match=parameter):
        call()


@pytest.mark.parametrize(
    ("call", "parameter"),
    [
        (lambda: compare_firms("3"), "price"),
        (lambda: labour_managed_employment(True), "price"),
        (lambda: output([4.0]), "labour"),
        # the old call style, loose parameters in place of a FirmParameters
        (lambda: labour_managed_output(3.0, 0.5), "firm"),
        (lambda: crossover_price({"wage": 4.0}), "firm"),
    ],
)
def test_non_numbers_are_type_errors(call, parameter):
    with pytest.raises(TypeError, match=parameter):
        call()


def test_the_worked_example_is_the_default_everywhere():
    example = illyrian.WORKED_EXAMPLE
    assert (example.productivity, example.elasticity) == (10.0, 0.5)
    assert (example.fixed_cost, example.wage) == (50.0, 4.0)
    assert FirmParameters() == example
    assert compare_firms(3.0) == compare_firms(3.0, illyrian.WORKED_EXAMPLE)
    assert crossover_price() == crossover_price(illyrian.WORKED_EXAMPLE)
