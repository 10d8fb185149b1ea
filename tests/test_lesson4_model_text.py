"""What lesson 4's prose says about the Illyrian model is what the model computes.

The lesson states numbers about Ward's labour-managed firm in its Markdown
(11.11 members, £4.50 a head, a crossover price of £2.83, the figure's axes...).
Each statement below is found in the notebook by a pattern and compared with
``coopcourse.models.illyrian`` at the precision the text uses. A statement that
is reworded no longer matches and fails as "not found": update the pattern
here, so that no number in the text goes unchecked. A second check makes every
decimal number in section 5 (and in the bank's model questions) a value the
model produces.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache

import pytest

from coopcourse.model_plots import plot_employment
from coopcourse.models import illyrian
from coopcourse.models.illyrian import (
    WORKED_EXAMPLE,
    FirmParameters,
    compare_firms,
    crossover_price,
    income_per_member,
    labour_managed_employment,
    labour_managed_output,
    marginal_revenue_product,
    profit_maximising_employment,
)
from coopcourse.quiz.bank import load_bank
from tests.lesson_files import COURSE_ROOT, read

LESSON = COURSE_ROOT / "lessons" / "04_market_socialist_critique.ipynb"
MODEL_QUESTIONS = [
    "illyrian-price-rise",
    "illyrian-why-shrink",
    "illyrian-no-fixed-cost",
    "coop-employs-fewer",
]
NUMBER = r"(\d+(?:\.\d+)?)"
FIXED_COST, WAGE = WORKED_EXAMPLE.fixed_cost, WORKED_EXAMPLE.wage


def _markdown_cells() -> list[str]:
    return [c.source for c in read(LESSON).cells if c.cell_type == "markdown"]


def _section(start: str, stop: str) -> str:
    """The Markdown from the cell whose text starts with ``start`` up to ``stop``."""
    cells = _markdown_cells()
    first = next(i for i, text in enumerate(cells) if text.lstrip().startswith(start))
    last = next(i for i, text in enumerate(cells) if i > first and text.lstrip().startswith(stop))
    return "\n\n".join(cells[first:last])


MARKDOWN = "\n\n".join(_markdown_cells())
SECTION_5 = _section("## 5.", "## 6.")
SECTION_6 = _section("## 6.", "## Discuss")

# -- what the model says --------------------------------------------------------

AT_OLD_MEMBERSHIP = labour_managed_employment(3.0)  # chosen at p = 3, held at p = 4
CROSSING = crossover_price()


@cache
def _figure_limits() -> tuple[tuple[float, float], tuple[float, float]]:
    axes = plot_employment(price=3.0).axes[0]
    return axes.get_xlim(), axes.get_ylim()


def _claims() -> list[tuple[str, str, list[float]]]:
    """(name, regular expression with (N) for each number, the model's values in order)."""
    (x_low, x_high), (_, y_top) = _figure_limits()
    at = {price: compare_firms(price) for price in (2.0, 3.0, 4.0, 5.0)}
    return [
        ("worked example: members and workers at p = 3",
         r"the co-op has (N) members against the capitalist firm's (N) workers",
         [at[3.0].labour_managed_employment, at[3.0].profit_max_employment]),
        ("worked example: income per member against the wage",
         r"each member takes home £(N), more than the wage of £(N)",
         [at[3.0].income_per_member, WAGE]),
        ("worked example: the capitalist firm's profit",
         r"makes a profit of £(N)",
         [at[3.0].profit]),
        ("the mechanism: the last member's revenue, p = 3 to 4",
         r"last member's extra revenue, from £(N) to £(N)",
         [marginal_revenue_product(AT_OLD_MEMBERSHIP, 3.0),
          marginal_revenue_product(AT_OLD_MEMBERSHIP, 4.0)]),
        ("the mechanism: income per member, p = 3 to 4",
         r"Income per member rises from £(N) to £(N)",
         [income_per_member(AT_OLD_MEMBERSHIP, 3.0), income_per_member(AT_OLD_MEMBERSHIP, 4.0)]),
        ("the mechanism: the fixed cost per member",
         r"fixed cost per member \(£(N)\)",
         [FIXED_COST / AT_OLD_MEMBERSHIP]),
        ("the mechanism: adds less than takes home",
         r"The last member now adds £(N) but takes home £(N)",
         [marginal_revenue_product(AT_OLD_MEMBERSHIP, 4.0),
          income_per_member(AT_OLD_MEMBERSHIP, 4.0)]),
        ("the table: employment at p = 2 and p = 5",
         r"employment rises from (N) to (N), while the co-op's falls from (N) to (N)",
         [at[2.0].profit_max_employment, at[5.0].profit_max_employment,
          at[2.0].labour_managed_employment, at[5.0].labour_managed_employment]),
        ("the table: the co-op at p = 4",
         r"At a price of 4 the co-op settles at (N) members, each taking home £(N)",
         [at[4.0].labour_managed_employment, at[4.0].income_per_member]),
        ("the table: the crossover price",
         r"Below the crossover price of £(N)",
         [CROSSING]),
        ("figure description: the price axis",
         r"the price, from £(N) to £(N) per unit",
         [x_low, x_high]),
        ("figure description: the employment axis",
         r"employment, from 0 to (N) workers",
         [y_top]),
        ("figure description: the crossover point",
         r"at a price of £(N), where both employ (N) workers",
         [CROSSING, profit_maximising_employment(CROSSING)]),
        ("figure description: the marked price",
         r"marks the price of £(N), where the blue curve is at (N) and the orange at (N)",
         [3.0, at[3.0].profit_max_employment, at[3.0].labour_managed_employment]),
        ("section 6: the long run ends at the crossover",
         r"earn more than the £(N) wage, entry pushes the price down to the crossover, £(N), "
         r"where income per member equals the wage and both kinds of firm employ (N)",
         [WAGE, CROSSING, labour_managed_employment(CROSSING)]),
    ]


CLAIMS = _claims()


def _matches(stated: str, value: float) -> bool:
    decimals = len(stated.split(".")[1]) if "." in stated else 0
    return f"{value:.{decimals}f}" == stated


@pytest.mark.parametrize(("name", "pattern", "values"), CLAIMS, ids=[c[0] for c in CLAIMS])
def test_each_stated_number_is_the_models(name, pattern, values):
    found = re.search(pattern.replace("(N)", NUMBER), MARKDOWN)
    assert found, f"statement not found in the lesson (reworded?): {pattern!r}"
    stated = found.groups()
    assert len(stated) == len(values)
    wrong = [(s, f"{v:.4f}") for s, v in zip(stated, values, strict=True) if not _matches(s, v)]
    assert not wrong, f"{name}: the text says {stated}, the model gives {values}"


# -- statements in words ------------------------------------------------------------


def test_the_direction_of_each_response_is_the_models():
    assert "when the price rises, the co-op's employment and output **fall**" in SECTION_5
    assert labour_managed_employment(4.0) < labour_managed_employment(3.0)
    assert labour_managed_output(4.0) < labour_managed_output(3.0)
    assert "$L^{*}$ rises with $p$" in SECTION_5
    assert profit_maximising_employment(4.0) > profit_maximising_employment(3.0)
    assert "**If the price falls**" in SECTION_5 and "takes on members" in SECTION_5
    assert labour_managed_employment(2.5) > labour_managed_employment(3.0)


def test_the_proportions_in_the_mechanism_are_the_models():
    assert "The price rises by a third, and so does the last member's extra revenue" in MARKDOWN
    ratio = (marginal_revenue_product(AT_OLD_MEMBERSHIP, 4.0)
             / marginal_revenue_product(AT_OLD_MEMBERSHIP, 3.0))
    assert ratio == pytest.approx(4.0 / 3.0)
    assert re.search(r"Income per member rises from £\S+ to £\S+, by two-thirds", MARKDOWN)
    gain = income_per_member(AT_OLD_MEMBERSHIP, 4.0) / income_per_member(AT_OLD_MEMBERSHIP, 3.0)
    assert gain == pytest.approx(5.0 / 3.0)


def test_without_a_fixed_cost_the_cooperative_would_shrink():
    assert "**If $F = 0$**" in SECTION_5 and "shrink towards a single member" in SECTION_5
    no_fixed_cost = dataclasses.replace(WORKED_EXAMPLE, fixed_cost=0.0)
    incomes = [income_per_member(size, 3.0, no_fixed_cost) for size in (1.0, 2.0, 5.0, 20.0)]
    assert incomes == sorted(incomes, reverse=True)
    with pytest.raises(ValueError, match="fixed_cost"):
        labour_managed_employment(3.0, no_fixed_cost)


def test_fewer_exactly_when_income_beats_the_wage_as_the_text_says():
    assert "$L^{**} < L^{*}$ exactly when $y^{**} > w$" in SECTION_5
    for price in (2.0, 2.5, 3.0, 4.0, 5.0):
        firms = compare_firms(price)
        assert firms.cooperative_employs_fewer == (firms.income_per_member > WAGE)
        assert firms.cooperative_employs_fewer == (firms.profit > 0)
    assert compare_firms(CROSSING).income_per_member == pytest.approx(WAGE)


def test_the_worked_example_parameters_are_the_models_defaults():
    assert "$A = 10$, $a = 0.5$, $F = 50$ and $w = 4$" in SECTION_5
    assert dataclasses.astuple(WORKED_EXAMPLE) == (10.0, 0.5, 50.0, 4.0)
    assert FirmParameters() == WORKED_EXAMPLE  # what every function uses when given no firm


# -- no decimal goes unchecked ------------------------------------------------------


@cache
def _model_values() -> list[float]:
    values = [*dataclasses.astuple(WORKED_EXAMPLE), CROSSING]
    for price in (2.0, 2.5, 3.0, 4.0, 5.0, CROSSING):
        firms = compare_firms(price)
        values += [price, firms.profit_max_employment, firms.labour_managed_employment,
                   firms.income_per_member, firms.profit, firms.profit_max_output,
                   firms.labour_managed_output]
    for price in (3.0, 4.0):
        values += [marginal_revenue_product(AT_OLD_MEMBERSHIP, price),
                   income_per_member(AT_OLD_MEMBERSHIP, price)]
    values.append(FIXED_COST / AT_OLD_MEMBERSHIP)
    (x_low, x_high), (_, y_top) = _figure_limits()
    return tuple(values + [x_low, x_high, y_top])


DECIMAL = re.compile(r"(?<![\w.])(\d+\.\d+)(?![\w.]*\d)")


def _unexplained_decimals(text: str) -> list[str]:
    values = _model_values()
    return [s for s in DECIMAL.findall(text) if not any(_matches(s, v) for v in values)]


def test_every_decimal_in_section_5_is_a_model_value():
    assert _unexplained_decimals(SECTION_5) == []


def test_every_decimal_in_the_model_questions_is_a_model_value():
    bank = load_bank("04_market_socialist_critique")
    texts = []
    for question in bank.questions:
        if question.id in MODEL_QUESTIONS:
            texts.append(question.prompt)
            texts += [option.text for option in question.options]
            texts += [option.why for option in question.options]
    assert _unexplained_decimals("\n".join(texts)) == []


def test_the_decimal_check_can_fail():
    assert _unexplained_decimals("The co-op has 11.11 members and 12.34 machines.") == ["12.34"]
    assert _matches("2.83", CROSSING) and not _matches("2.84", CROSSING)
    assert illyrian.crossover_price() == CROSSING


def test_diminishing_returns_example_is_the_models():
    # "With $a = 0.5$, four times the workers make only twice the output."
    assert "With $a = 0.5$, four times the workers make only twice the output." in SECTION_5
    assert illyrian.output(40.0) / illyrian.output(10.0) == pytest.approx(2.0)


def test_a_larger_fixed_cost_means_more_members_as_the_bank_says():
    # coop-employs-fewer, option D's explanation: L** rises with F.
    larger = dataclasses.replace(WORKED_EXAMPLE, fixed_cost=80.0)
    assert labour_managed_employment(3.0, larger) > labour_managed_employment(3.0)
    assert crossover_price(larger) > crossover_price()


def test_in_the_long_run_income_per_member_falls_to_the_wage_and_no_lower():
    # Section 6 / "What does this mean": entry drives income per member to the going wage.
    assert "entry drives income per member down to the going wage and no lower" in MARKDOWN
    at_crossing = compare_firms(CROSSING)
    assert at_crossing.income_per_member == pytest.approx(WAGE)
    assert at_crossing.profit == pytest.approx(0.0, abs=1e-9)
