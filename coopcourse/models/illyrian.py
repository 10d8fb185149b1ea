"""Ward's "Illyrian" labour-managed firm next to a profit-maximising firm.

Both firms make output q = A·L^a (0 < a < 1) from labour L, sell it at price p
and carry a fixed cost F. The profit-maximising firm hires at wage w until the
marginal revenue product equals the wage. The labour-managed firm (a worker
co-operative in the sense of Ward 1958, Vanek 1970, Meade 1972) has no wage:
its members share the net revenue, and it chooses membership to maximise
income per member y(L) = (p·A·L^a − F) / L.

Closed forms (first-order conditions; both objectives are single-peaked):

* profit-maximising employment  L*  = (a·p·A / w)^(1/(1−a))
* labour-managed employment     L** = (F / ((1−a)·p·A))^(1/a)
* labour-managed output         q** = F / ((1−a)·p)

L** falls as p rises: the "perverse" short-run supply response. L** < L*
exactly when income per member exceeds the wage, i.e. when the conventional
firm would make a profit; the two coincide at the zero-profit price given by
:func:`crossover_price`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coopcourse.models._validate import in_range, non_negative, positive

# The course's worked example (A = 10, a = 0.5, F = 50, w = 4): illustrative values
# chosen for easy arithmetic, not estimates for any real firm. The directions of the
# results hold for any 0 < a < 1 and F > 0; the sizes do not.
DEFAULT_PRODUCTIVITY = 10.0
DEFAULT_ELASTICITY = 0.5
DEFAULT_FIXED_COST = 50.0
DEFAULT_WAGE = 4.0

# Employment levels closer than this (relative) count as equal.
_SAME_EMPLOYMENT = 1e-9


def _elasticity(value: object) -> float:
    return in_range("elasticity", value, 0.0, 1.0, include_low=False, include_high=False)


def output(
    labour: float,
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
) -> float:
    """Output q = A·L^a from ``labour`` workers."""
    labour = non_negative("labour", labour)
    productivity = positive("productivity", productivity)
    return productivity * labour ** _elasticity(elasticity)


def profit(
    labour: float,
    price: float,
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
    wage: float = DEFAULT_WAGE,
    fixed_cost: float = DEFAULT_FIXED_COST,
) -> float:
    """Profit p·A·L^a − w·L − F of a conventional firm employing ``labour``."""
    price = positive("price", price)
    wage = positive("wage", wage)
    fixed_cost = non_negative("fixed_cost", fixed_cost)
    return price * output(labour, productivity, elasticity) - wage * labour - fixed_cost


def income_per_member(
    labour: float,
    price: float,
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
    fixed_cost: float = DEFAULT_FIXED_COST,
) -> float:
    """Net revenue per member (p·A·L^a − F) / L of a co-operative with ``labour`` members."""
    labour = positive("labour", labour)
    price = positive("price", price)
    fixed_cost = non_negative("fixed_cost", fixed_cost)
    return (price * output(labour, productivity, elasticity) - fixed_cost) / labour


def marginal_revenue_product(
    labour: float,
    price: float,
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
) -> float:
    """a·p·A·L^(a−1): the revenue the last of ``labour`` workers or members adds.

    The profit-maximising firm hires until this equals the wage; the
    labour-managed firm admits members until it equals income per member.
    """
    labour = positive("labour", labour)
    price = positive("price", price)
    productivity = positive("productivity", productivity)
    elasticity = _elasticity(elasticity)
    return elasticity * price * productivity * labour ** (elasticity - 1.0)


def profit_maximising_employment(
    price: float,
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
    wage: float = DEFAULT_WAGE,
) -> float:
    """L* = (a·p·A / w)^(1/(1−a)): where the marginal revenue product equals the wage."""
    price = positive("price", price)
    productivity = positive("productivity", productivity)
    elasticity = _elasticity(elasticity)
    wage = positive("wage", wage)
    return (elasticity * price * productivity / wage) ** (1.0 / (1.0 - elasticity))


def _cooperative_fixed_cost(value: object) -> float:
    # With F = 0 income per member rises without limit as membership shrinks,
    # so the co-operative's optimum only exists for a positive fixed cost.
    return positive("fixed_cost", value)


def labour_managed_employment(
    price: float,
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
    fixed_cost: float = DEFAULT_FIXED_COST,
) -> float:
    """L** = (F / ((1−a)·p·A))^(1/a): the membership that maximises income per member."""
    price = positive("price", price)
    productivity = positive("productivity", productivity)
    elasticity = _elasticity(elasticity)
    fixed_cost = _cooperative_fixed_cost(fixed_cost)
    return (fixed_cost / ((1.0 - elasticity) * price * productivity)) ** (1.0 / elasticity)


def labour_managed_output(
    price: float,
    elasticity: float = DEFAULT_ELASTICITY,
    fixed_cost: float = DEFAULT_FIXED_COST,
) -> float:
    """q** = F / ((1−a)·p): the co-operative's output, which falls as the price rises."""
    price = positive("price", price)
    elasticity = _elasticity(elasticity)
    fixed_cost = _cooperative_fixed_cost(fixed_cost)
    return fixed_cost / ((1.0 - elasticity) * price)


def crossover_price(
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
    fixed_cost: float = DEFAULT_FIXED_COST,
    wage: float = DEFAULT_WAGE,
) -> float:
    """The price at which both firms employ the same number of workers.

    There the conventional firm makes zero profit and income per member equals
    the wage. At L*, p·A·L^a = w·L/a, so zero profit means w·L·(1−a)/a = F,
    i.e. L = a·F / ((1−a)·w). Putting that L into L* = (a·p·A/w)^(1/(1−a))
    and solving for p gives p = w·L^(1−a) / (a·A).
    """
    productivity = positive("productivity", productivity)
    elasticity = _elasticity(elasticity)
    fixed_cost = _cooperative_fixed_cost(fixed_cost)
    wage = positive("wage", wage)
    common_employment = elasticity * fixed_cost / ((1.0 - elasticity) * wage)
    return wage * common_employment ** (1.0 - elasticity) / (elasticity * productivity)


@dataclass(frozen=True)
class FirmComparison:
    """Both firms' choices at one price (employment in workers, money in £)."""

    price: float
    wage: float
    profit_max_employment: float
    profit_max_output: float
    profit: float
    labour_managed_employment: float
    labour_managed_output: float
    income_per_member: float

    @property
    def larger_employer(self) -> str:
        """``"profit-maximising"``, ``"labour-managed"`` or ``"equal"``."""
        if math.isclose(
            self.profit_max_employment, self.labour_managed_employment, rel_tol=_SAME_EMPLOYMENT
        ):
            return "equal"
        if self.profit_max_employment > self.labour_managed_employment:
            return "profit-maximising"
        return "labour-managed"

    @property
    def cooperative_employs_fewer(self) -> bool:
        return self.larger_employer == "profit-maximising"


def compare_firms(
    price: float,
    productivity: float = DEFAULT_PRODUCTIVITY,
    elasticity: float = DEFAULT_ELASTICITY,
    fixed_cost: float = DEFAULT_FIXED_COST,
    wage: float = DEFAULT_WAGE,
) -> FirmComparison:
    """What each firm chooses at ``price``, with the same technology and fixed cost."""
    fixed_cost = _cooperative_fixed_cost(fixed_cost)
    employed = profit_maximising_employment(price, productivity, elasticity, wage)
    members = labour_managed_employment(price, productivity, elasticity, fixed_cost)
    return FirmComparison(
        price=float(price),
        wage=float(wage),
        profit_max_employment=employed,
        profit_max_output=output(employed, productivity, elasticity),
        profit=profit(employed, price, productivity, elasticity, wage, fixed_cost),
        labour_managed_employment=members,
        labour_managed_output=labour_managed_output(price, elasticity, fixed_cost),
        income_per_member=income_per_member(members, price, productivity, elasticity, fixed_cost),
    )
