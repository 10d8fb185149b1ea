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

The firm's parameters (A, a, F, w) come as one :class:`FirmParameters`, checked
when it is made; every function takes one, and uses the course's worked example
``WORKED_EXAMPLE`` (A = 10, a = 0.5, F = 50, w = 4) when given none.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coopcourse.models._validate import in_range, non_negative, positive


@dataclass(frozen=True)
class FirmParameters:
    """Technology and costs both firms share; every field is checked when the object is made.

    The defaults are the course's worked example (A = 10, a = 0.5, F = 50,
    w = 4): illustrative values chosen for easy arithmetic, not estimates for
    any real firm. The directions of the results hold for any 0 < a < 1 and
    F > 0; the sizes do not.
    """

    productivity: float = 10.0  # A
    elasticity: float = 0.5  # a, the output elasticity of labour
    fixed_cost: float = 50.0  # F
    wage: float = 4.0  # w, paid by the profit-maximising firm only

    def __post_init__(self) -> None:
        positive("productivity", self.productivity)
        in_range("elasticity", self.elasticity, 0.0, 1.0, include_low=False, include_high=False)
        # F = 0 is allowed: profit and income per member are defined there, and
        # the lesson asks what a co-operative with no fixed cost would do. Only
        # the co-operative's optimum needs F > 0 (see _cooperative_fixed_cost).
        non_negative("fixed_cost", self.fixed_cost)
        positive("wage", self.wage)


WORKED_EXAMPLE = FirmParameters()

# Employment levels closer than this (relative) count as equal.
_SAME_EMPLOYMENT = 1e-9


def _checked(firm: object) -> FirmParameters:
    # An old-style call such as labour_managed_output(3.0, 0.5) would otherwise
    # fail later with an AttributeError that does not say what was wrong.
    if not isinstance(firm, FirmParameters):
        raise TypeError(f"firm must be a FirmParameters, got {type(firm).__name__} {firm!r}")
    return firm


def _cooperative_fixed_cost(firm: FirmParameters) -> float:
    # With F = 0 income per member rises without limit as membership shrinks,
    # so the co-operative's optimum only exists for a positive fixed cost.
    if firm.fixed_cost <= 0:
        raise ValueError(
            "fixed_cost must be greater than 0 for the co-operative to have a best size, "
            f"got {firm.fixed_cost!r}"
        )
    return firm.fixed_cost


def output(labour: float, firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """Output q = A·L^a from ``labour`` workers."""
    labour = non_negative("labour", labour)
    f = _checked(firm)
    return f.productivity * labour**f.elasticity


def profit(labour: float, price: float, firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """Profit p·A·L^a − w·L − F of a conventional firm employing ``labour``."""
    price = positive("price", price)
    f = _checked(firm)
    return price * output(labour, f) - f.wage * labour - f.fixed_cost


def income_per_member(labour: float, price: float,
                      firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """Net revenue per member (p·A·L^a − F) / L of a co-operative with ``labour`` members."""
    labour = positive("labour", labour)
    price = positive("price", price)
    f = _checked(firm)
    return (price * output(labour, f) - f.fixed_cost) / labour


def marginal_revenue_product(labour: float, price: float,
                             firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """a·p·A·L^(a−1): the revenue the last of ``labour`` workers or members adds.

    The profit-maximising firm hires until this equals the wage; the
    labour-managed firm admits members until it equals income per member.
    """
    labour = positive("labour", labour)
    price = positive("price", price)
    f = _checked(firm)
    return f.elasticity * price * f.productivity * labour ** (f.elasticity - 1.0)


def profit_maximising_employment(price: float, firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """L* = (a·p·A / w)^(1/(1−a)): where the marginal revenue product equals the wage."""
    price = positive("price", price)
    f = _checked(firm)
    return (f.elasticity * price * f.productivity / f.wage) ** (1.0 / (1.0 - f.elasticity))


def labour_managed_employment(price: float, firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """L** = (F / ((1−a)·p·A))^(1/a): the membership that maximises income per member."""
    price = positive("price", price)
    f = _checked(firm)
    fixed_cost = _cooperative_fixed_cost(f)
    return (fixed_cost / ((1.0 - f.elasticity) * price * f.productivity)) ** (1.0 / f.elasticity)


def labour_managed_output(price: float, firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """q** = F / ((1−a)·p): the co-operative's output, which falls as the price rises."""
    price = positive("price", price)
    f = _checked(firm)
    return _cooperative_fixed_cost(f) / ((1.0 - f.elasticity) * price)


def crossover_price(firm: FirmParameters = WORKED_EXAMPLE) -> float:
    """The price at which both firms employ the same number of workers.

    There the conventional firm makes zero profit and income per member equals
    the wage. At L*, p·A·L^a = w·L/a, so zero profit means w·L·(1−a)/a = F,
    i.e. L = a·F / ((1−a)·w). Putting that L into L* = (a·p·A/w)^(1/(1−a))
    and solving for p gives p = w·L^(1−a) / (a·A).
    """
    f = _checked(firm)
    a = f.elasticity
    common_employment = a * _cooperative_fixed_cost(f) / ((1.0 - a) * f.wage)
    return f.wage * common_employment ** (1.0 - a) / (a * f.productivity)


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


def compare_firms(price: float, firm: FirmParameters = WORKED_EXAMPLE) -> FirmComparison:
    """What each firm chooses at ``price``, with the same technology and fixed cost."""
    employed = profit_maximising_employment(price, firm)
    members = labour_managed_employment(price, firm)
    return FirmComparison(
        price=float(price),
        wage=float(firm.wage),
        profit_max_employment=employed,
        profit_max_output=output(employed, firm),
        profit=profit(employed, price, firm),
        labour_managed_employment=members,
        labour_managed_output=labour_managed_output(price, firm),
        income_per_member=income_per_member(members, price, firm),
    )
