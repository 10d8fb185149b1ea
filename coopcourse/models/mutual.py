"""The finances of a public-service mutual spun out of the NHS, and its retenders.

A deterministic, year-by-year teaching model of the questions the 2010 debate
turned on: who keeps the NHS pension, what the commissioner pays, and whether
a spun-out mutual keeps its contract when it is retendered against a
for-profit rival. Lesson 3 shows the equations and a table of every default.

Rules (money in £ a year; years 1, 2, ...; ``a`` the assumptions):

* **Staff.** ``staff`` posts, all filled at the spin-out by staff who transfer
  from the NHS. Each year a share ``annual_turnover`` of staff leave and are
  replaced by recruits, so the share still on transferred terms in year t is
  s(t) = (1 − u)^t. Pay per post at NHS rates is w(t) = w·(1 + g)^(t−1).
* **Pensions are charged at the EMPLOYER's contribution rate**, never at the
  value of the pension to the member. Transferred staff stay in the NHS
  scheme, whose employer rate was 14% of pay in 2010
  (``nhs_employer_rate``; Armstrong Watson 2024, DHSC 2021/22). Recruits
  cannot join it (the FT, Feb 2010: staff who transfer, "though not new
  recruits", can stay); their employer pays ``recruit_employer_rate`` into a
  defined-contribution scheme (an assumption; 7% is the Pensions Policy
  Institute's value of a typical private DC scheme, Oct 2008).
* **Non-pay costs** are ``non_pay_ratio`` × w(t) × staff for whoever runs the
  service (an assumption).
* **Contracts.** A contract lasts ``contract_term`` years (five, like NHS
  Surrey's community-services contract of 2012-2017). In year j of a term
  (j = 0, 1, ...) it pays P·(1 − c)^j, where c = ``annual_price_cut`` is the
  commissioner's yearly cut written into the contract and P the winning bid.
* **Bids.** A bidder bids the P at which the term's receipts cover its own
  projected costs for the term plus its own margin m:
  P = (1 + m)·Σ cost(t) / Σ (1 − c)^j (both sums over the term). The first
  term goes to the mutual at its own bid (``mutual_margin``, which may be 0).
* **Retender** in the last year of each term: the mutual and the rival bid for
  the next term; the lower bid wins and is paid; a tie goes to the mutual. If
  the rival wins, the projection stops after that year.
* **The rival** (``rival_margin``) would take the staff over under TUPE, with
  their contracts: the same posts, the same pay for everyone who transfers,
  the same non-pay costs. TUPE does not carry occupational pensions: with
  ``fair_deal`` the rival must offer transferred ex-NHS staff a broadly
  comparable pension (charged at ``nhs_employer_rate``); without it, it pays
  them ``recruit_employer_rate``. Its only other cost advantage is that its
  own recruits are paid ``rival_recruit_pay_cut`` below NHS rates (the mutual's
  recruits ``mutual_recruit_pay_cut`` below), so it grows with turnover.
* **The mutual** keeps its transferred staff in the NHS scheme, at
  ``nhs_employer_rate``, whatever ``fair_deal`` says: the switch is about a
  rival at a retender, not about the spin-out's own terms.

Left out, on purpose: the award is on price alone (no quality score, no GP
support, no bond or other capital requirement); margins are fixed, so neither
bidder shades its bid to win; the two providers have the same non-pay costs
(no economies of scale); and money is not discounted.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from coopcourse.models._validate import in_range, positive, whole_number

# Sources of the sourced defaults (the lesson's References give them in full).
SOURCES = {
    "nhs_employer_rate": "NHS Pension Scheme employer contribution rate, 2010 "
                         "(Armstrong Watson 2024; DHSC 2021/22)",
    "contract_term": "NHS Surrey's community-services contract, five years, 2012-2017 "
                     "(HSJ, September 2011)",
}


@dataclass(frozen=True)
class MutualAssumptions:
    """Inputs of :func:`project`; every field is checked when the object is made.

    Sourced: ``nhs_employer_rate`` and ``contract_term`` (see ``SOURCES``).
    Every other default is a teaching assumption, not data about a real mutual.
    """

    staff: int = 100
    average_salary: float = 30_000.0
    nhs_employer_rate: float = 0.14
    recruit_employer_rate: float = 0.07
    annual_turnover: float = 0.10
    non_pay_ratio: float = 0.25
    annual_pay_growth: float = 0.0
    annual_price_cut: float = 0.02
    contract_term: int = 5
    mutual_margin: float = 0.03
    rival_margin: float = 0.05
    mutual_recruit_pay_cut: float = 0.0
    rival_recruit_pay_cut: float = 0.05
    fair_deal: bool = True
    years: int = 10

    def __post_init__(self) -> None:
        whole_number("staff", self.staff, 1)
        positive("average_salary", self.average_salary)
        for name in ("nhs_employer_rate", "recruit_employer_rate", "annual_turnover"):
            in_range(name, getattr(self, name), 0.0, 1.0)
        in_range("non_pay_ratio", self.non_pay_ratio, 0.0, 5.0)
        in_range("annual_pay_growth", self.annual_pay_growth, -0.5, 0.5)
        in_range("annual_price_cut", self.annual_price_cut, 0.0, 1.0, include_high=False)
        whole_number("contract_term", self.contract_term, 1)
        for name in ("mutual_margin", "rival_margin"):
            in_range(name, getattr(self, name), 0.0, 1.0)
        for name in ("mutual_recruit_pay_cut", "rival_recruit_pay_cut"):
            in_range(name, getattr(self, name), 0.0, 1.0, include_high=False)
        if not isinstance(self.fair_deal, bool):
            raise TypeError(f"fair_deal must be True or False, got {self.fair_deal!r}")
        whole_number("years", self.years, 1, 100)


@dataclass(frozen=True)
class YearResult:
    """One year of the projection (money in £ for the year)."""

    year: int
    contract_price: float
    share_on_public_terms: float
    salaries: float
    pension_cost: float  # the employer's contributions
    pay_bill: float  # salaries + pension_cost
    other_costs: float  # non-pay costs
    surplus: float
    retendered: bool
    won_retender: bool | None  # None when there was no retender this year
    mutual_bid: float | None  # bids (first-year price of the next term), at a retender
    rival_bid: float | None


@dataclass(frozen=True)
class MutualProjection:
    assumptions: MutualAssumptions
    years: tuple[YearResult, ...]

    @property
    def first_loss_year(self) -> int | None:
        """The first year with a negative surplus, or None."""
        return next((y.year for y in self.years if y.surplus < 0), None)

    @property
    def lost_retender_year(self) -> int | None:
        """The retender the mutual lost (the projection ends there), or None."""
        return next((y.year for y in self.years if y.won_retender is False), None)

    @property
    def retender_years(self) -> tuple[int, ...]:
        return tuple(y.year for y in self.years if y.retendered)


def share_on_public_terms(assumptions: MutualAssumptions, year: int) -> float:
    """s(t) = (1 − u)^t: the share of posts still held by transferred staff in ``year``."""
    return (1.0 - assumptions.annual_turnover) ** year


def pay_per_post(a: MutualAssumptions, year: int) -> float:
    """w(t) = w·(1 + g)^(t−1): pay per post at NHS rates."""
    return a.average_salary * (1 + a.annual_pay_growth) ** (year - 1)


def staff_costs(a: MutualAssumptions, year: int, rival_from: int | None = None
                ) -> tuple[float, float]:
    """(salaries, employer pension contributions) in ``year``.

    For the mutual when ``rival_from`` is None; else for the rival that took the
    staff over under TUPE at the start of year ``rival_from``.
    """
    wage = a.staff * pay_per_post(a, year)
    public = share_on_public_terms(a, year)
    if rival_from is None:
        mutual_recruits, rival_recruits = 1 - public, 0.0
        public_rate = a.nhs_employer_rate
    else:
        kept = (1 - a.annual_turnover) ** (year - rival_from + 1)  # staff taken over, still there
        mutual_recruits, rival_recruits = kept - public, 1 - kept
        public_rate = a.nhs_employer_rate if a.fair_deal else a.recruit_employer_rate
    mutual_pay = mutual_recruits * (1 - a.mutual_recruit_pay_cut)
    rival_pay = rival_recruits * (1 - a.rival_recruit_pay_cut)
    salaries = wage * (public + mutual_pay + rival_pay)
    pensions = wage * (public * public_rate + (mutual_pay + rival_pay) * a.recruit_employer_rate)
    return salaries, pensions


def annual_cost(a: MutualAssumptions, year: int, rival_from: int | None = None) -> float:
    """Salaries + employer pensions + non-pay costs in ``year``."""
    salaries, pensions = staff_costs(a, year, rival_from)
    return salaries + pensions + a.non_pay_ratio * a.staff * pay_per_post(a, year)


def bid(a: MutualAssumptions, first_year: int, rival: bool) -> float:
    """The first-year price a bidder asks for the term starting in ``first_year``."""
    term = range(first_year, first_year + a.contract_term)
    rival_from = first_year if rival else None
    costs = sum(annual_cost(a, t, rival_from) for t in term)
    margin = a.rival_margin if rival else a.mutual_margin
    price_factors = sum((1 - a.annual_price_cut) ** j for j in range(a.contract_term))
    return (1 + margin) * costs / price_factors


def project(assumptions: MutualAssumptions) -> MutualProjection:
    """Run the year-by-year projection described in the module docstring."""
    a = assumptions
    results: list[YearResult] = []
    term_price, term_start = bid(a, 1, rival=False), 1
    for year in range(1, a.years + 1):
        price = term_price * (1 - a.annual_price_cut) ** (year - term_start)
        salaries, pensions = staff_costs(a, year)
        other = a.non_pay_ratio * a.staff * pay_per_post(a, year)
        retendered = (year - term_start + 1) == a.contract_term
        mutual_bid = bid(a, year + 1, rival=False) if retendered else None
        rival_bid = bid(a, year + 1, rival=True) if retendered else None
        won = None if not retendered else mutual_bid <= rival_bid
        results.append(YearResult(
            year=year, contract_price=price,
            share_on_public_terms=share_on_public_terms(a, year),
            salaries=salaries, pension_cost=pensions, pay_bill=salaries + pensions,
            other_costs=other, surplus=price - salaries - pensions - other,
            retendered=retendered, won_retender=won,
            mutual_bid=mutual_bid, rival_bid=rival_bid,
        ))
        if won is False:
            break
        if won:
            term_price, term_start = mutual_bid, year + 1
    return MutualProjection(assumptions=a, years=tuple(results))


# ---- which conclusions flip: a sensitivity table --------------------------------

# The range over which the sensitivity table moves each assumption. Each runs
# from a limiting case (no turnover, no cut, no margin, no pay cut) to about
# twice the default or more, unless a source or a natural bound gives an end:
# the NHS employer rate from 2010's 14% to today's total of 20.68%; the
# recruits' rate up to the NHS rate (no pension gap); the contract term around
# NHS Surrey's five years. Lesson 3 states these reasons under its table.
RANGES: dict[str, tuple] = {
    "nhs_employer_rate": (0.14, 0.2068),
    "recruit_employer_rate": (0.03, 0.14),
    "annual_turnover": (0.0, 0.20),
    "non_pay_ratio": (0.10, 0.50),
    "annual_pay_growth": (0.0, 0.03),
    "annual_price_cut": (0.0, 0.04),
    "contract_term": (3, 7),
    "mutual_margin": (0.0, 0.06),
    "rival_margin": (0.0, 0.10),
    "mutual_recruit_pay_cut": (0.0, 0.10),
    "rival_recruit_pay_cut": (0.0, 0.15),
    "fair_deal": (False, True),
}
_STEPS = 20


@dataclass(frozen=True)
class Outcome:
    """The two conclusions the lesson draws from a projection."""

    first_loss_year: int | None
    lost_retender_year: int | None

    @classmethod
    def of(cls, a: MutualAssumptions) -> Outcome:
        p = project(a)
        return cls(p.first_loss_year, p.lost_retender_year)


@dataclass(frozen=True)
class SensitivityRow:
    name: str
    base: object
    low: object
    high: object
    deficit_flips_at: tuple  # values tested where "a deficit year" differs from the base
    retender_flips_at: tuple  # values tested where "loses a retender" differs from the base


def _grid(name: str, low, high) -> list:
    if isinstance(low, bool):
        return [False, True]
    if isinstance(low, int):
        return list(range(low, high + 1))
    return [round(low + (high - low) * i / _STEPS, 6) for i in range(_STEPS + 1)]


def sensitivity(assumptions: MutualAssumptions | None = None) -> list[SensitivityRow]:
    """For each assumption in ``RANGES``, the values in its range that flip a conclusion.

    The conclusions are: the surplus turns negative within the horizon; the
    mutual loses a retender within the horizon. Each is read as yes or no.
    """
    a = assumptions if assumptions is not None else MutualAssumptions()
    base = Outcome.of(a)
    rows = []
    for name, (low, high) in RANGES.items():
        deficit, retender = [], []
        for value in _grid(name, low, high):
            outcome = Outcome.of(replace(a, **{name: value}))
            if (outcome.first_loss_year is None) != (base.first_loss_year is None):
                deficit.append(value)
            if (outcome.lost_retender_year is None) != (base.lost_retender_year is None):
                retender.append(value)
        rows.append(SensitivityRow(name, getattr(a, name), low, high,
                                   tuple(deficit), tuple(retender)))
    return rows


def _show(name: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value} years" if value != 1 else "1 year"
    return f"{100 * value:g}%"


def _runs(grid: list, values: tuple) -> list[list]:
    """``values`` split into runs of neighbours on ``grid``."""
    runs: list[list] = []
    last = None
    for index, value in enumerate(grid):
        if value not in values:
            continue
        if runs and last == index - 1:
            runs[-1].append(value)
        else:
            runs.append([value])
        last = index
    return runs


def _flips(name: str, values: tuple, grid: list | None = None) -> str:
    """Where a conclusion flips, as 'never', 'at x' or 'from x to y' (one per run)."""
    if not values:
        return "never"
    if isinstance(values[0], bool):
        return "at " + ", ".join(_show(name, v) for v in values)
    runs = _runs(grid if grid is not None else sorted(values), values)
    return "; ".join(
        f"at {_show(name, run[0])}" if len(run) == 1
        else f"from {_show(name, run[0])} to {_show(name, run[-1])}"
        for run in runs
    )


def sensitivity_text(rows: list[SensitivityRow], assumptions: MutualAssumptions | None = None
                     ) -> str:
    """The sensitivity table as fixed-width text, with the base outcome first."""
    a = assumptions if assumptions is not None else MutualAssumptions()
    base = Outcome.of(a)
    deficit = ("a deficit from year " + str(base.first_loss_year)
               if base.first_loss_year else "no deficit year")
    lost = ("loses the retender in year " + str(base.lost_retender_year)
            if base.lost_retender_year else "keeps the contract at every retender")
    lines = [
        f"At the defaults, over {a.years} years: {deficit}; the mutual {lost}.",
        "Each assumption is moved alone across its range, in 20 equal steps (whole years for "
        "the term); the last two columns say where a conclusion flips.",
        "",
        f"{'Assumption':<24}{'Default':>9}  {'Range tested':<20}"
        f"{'Deficit year flips':<26}{'Retender result flips'}",
    ]
    for r in rows:
        tested = f"{_show(r.name, r.low)} to {_show(r.name, r.high)}".replace(" years to", " to")
        if isinstance(r.low, bool):
            tested = "no or yes"
        grid = _grid(r.name, r.low, r.high)
        lines.append(
            f"{r.name:<24}{_show(r.name, r.base):>9}  {tested:<20}"
            f"{_flips(r.name, r.deficit_flips_at, grid):<26}"
            f"{_flips(r.name, r.retender_flips_at, grid)}"
        )
    return "\n".join(lines)


def assumption_names() -> list[str]:
    """Every field of :class:`MutualAssumptions`, in order."""
    return [f.name for f in fields(MutualAssumptions)]


# ---- plain-language summary ----------------------------------------------------

def _thousands(pounds: float) -> str:
    return f"£{pounds / 1000:,.0f} thousand"


def _retender_sentence(projection: MutualProjection) -> str:
    retenders = [y for y in projection.years if y.retendered]
    if not retenders:
        return f"The contract is not retendered within the {len(projection.years)} years shown."
    last = retenders[-1]
    if last.won_retender is False:
        return (
            f"The mutual loses the contract at the retender in year {last.year}: its bid "
            f"({_thousands(last.mutual_bid)} for the first year of the next term) is above the "
            f"for-profit rival's ({_thousands(last.rival_bid)}), and the staff transfer to the "
            f"rival under TUPE."
        )
    years = " and ".join(str(y.year) for y in retenders)
    plural = "s" if len(retenders) > 1 else ""
    return (
        f"The mutual keeps the contract at the retender{plural} in year{plural} {years}; at "
        f"the last one it bid {_thousands(last.mutual_bid)} for the first year of the next "
        f"term against the rival's {_thousands(last.rival_bid)}."
    )


def summary_text(projection: MutualProjection) -> str:
    """A plain-language summary of ``projection`` (fixed decimals, so it is repeatable)."""
    first, last = projection.years[0], projection.years[-1]
    surplus = "surplus" if first.surplus >= 0 else "deficit"
    opening = (
        f"The contract starts at {_thousands(first.contract_price)} a year, leaving a "
        f"{surplus} of {_thousands(abs(first.surplus))} in year 1."
    )
    staff = (
        f"After {last.year} year{'s' if last.year > 1 else ''} "
        f"{100 * last.share_on_public_terms:.0f}% of staff are still on NHS terms."
    )
    loss_year = projection.first_loss_year
    deficit = (
        f"The surplus first turns negative in year {loss_year}."
        if loss_year is not None
        else "The surplus stays positive in every year shown."
    )
    return " ".join([opening, staff, deficit, _retender_sentence(projection)])
