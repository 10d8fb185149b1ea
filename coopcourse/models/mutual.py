"""The finances of a public-service mutual spun out of the NHS or a council.

A deterministic, year-by-year projection of the questions the 2010 debate
turned on: staff who transfer keep their public-sector pension, recruits do
not; the commissioner lowers the price each year; and the contract is
retendered against a for-profit bidder with cheaper labour.

Rules of the model (all money in £ per year, years numbered 1, 2, ...):

* Staff numbers are constant. Each year a fraction ``annual_turnover`` of
  staff leave and are replaced by recruits, so the share still on
  public-sector terms in year t is (1 − turnover)^t (the mix at the end of
  year t; all staff were on public terms at the transfer, year 0).
* Pay bill = salaries + pensions. Salaries are staff × average salary, which
  grows at ``annual_pay_growth`` from year 1. Transferred staff cost
  ``transferred_pension_rate`` of pay in pension, recruits
  ``recruit_pension_rate``.
* The contract price starts at ``initial_contract_price`` (by default: enough
  to pay the in-house pay bill at transfer plus 5%, plus non-pay costs) and
  is cut by ``annual_price_cut`` each year from year 2. Non-pay costs are a
  fixed share ``non_pay_share`` of the price. Surplus = price − pay bill −
  non-pay costs.
* Retender: in years ``retender_every``, 2 × ``retender_every``, ... the next
  contract is put out to tender. The mutual can bid no lower than the price
  that covers its costs that year: pay bill / (1 − non-pay share). The rival
  pays the public-sector package (salary plus transferred pension rate) less
  ``rival_labour_cost_discount``, has the same non-pay share and adds a
  profit margin ``rival_margin`` of its price: its bid is
  labour cost / (1 − non-pay share − margin). The lower bid wins; a tie
  goes to the incumbent mutual.
* If the mutual wins, it must match the rival to do so: from the next year
  its price is the lower of the commissioner's planned price and the rival's
  bid, and the annual cuts continue from there.
* If the mutual loses, the projection STOPS after the retender year: the
  mutual runs the service to the end of its contract and then hands it over.
  ``MutualProjection.years`` then ends at the lost retender.
"""

from __future__ import annotations

from dataclasses import dataclass

from coopcourse.models._checks import in_range, positive, whole_number

# The first year's surplus when the commissioner pays the in-house cost plus this margin.
DEFAULT_STARTING_MARGIN = 0.05


@dataclass(frozen=True)
class MutualAssumptions:
    """Inputs of :func:`project`; every field is checked when the object is made.

    Defaults: 100 staff on £30,000; transferred staff keep a pension worth 25%
    of pay (the FT report, Feb 2010: the NHS pension scheme "is worth about 25
    per cent of pay"; the Pensions Policy Institute, Oct 2008, put a
    public-sector final-salary pension at about 21%); recruits get 7% (the PPI's
    figure for a typical private defined-contribution scheme). These are
    teaching defaults, not data about any one mutual.
    """

    staff: int = 100
    average_salary: float = 30_000.0
    transferred_pension_rate: float = 0.25
    recruit_pension_rate: float = 0.07
    annual_turnover: float = 0.10
    non_pay_share: float = 0.20
    initial_contract_price: float | None = None
    annual_price_cut: float = 0.02
    annual_pay_growth: float = 0.0
    retender_every: int = 5
    rival_labour_cost_discount: float = 0.10
    rival_margin: float = 0.05
    years: int = 10

    def __post_init__(self) -> None:
        whole_number("staff", self.staff, 1)
        positive("average_salary", self.average_salary)
        in_range("transferred_pension_rate", self.transferred_pension_rate, 0.0, 1.0)
        in_range("recruit_pension_rate", self.recruit_pension_rate, 0.0, 1.0)
        in_range("annual_turnover", self.annual_turnover, 0.0, 1.0)
        in_range("non_pay_share", self.non_pay_share, 0.0, 0.9)
        if self.initial_contract_price is not None:
            positive("initial_contract_price", self.initial_contract_price)
        in_range("annual_price_cut", self.annual_price_cut, 0.0, 1.0, include_high=False)
        in_range("annual_pay_growth", self.annual_pay_growth, -0.5, 0.5)
        whole_number("retender_every", self.retender_every, 1)
        in_range(
            "rival_labour_cost_discount", self.rival_labour_cost_discount, 0.0, 1.0,
            include_high=False,
        )
        in_range("rival_margin", self.rival_margin, 0.0, 0.5)
        if self.non_pay_share + self.rival_margin >= 1.0:
            raise ValueError(
                "non_pay_share + rival_margin must be below 1 (the rival's bid would be "
                f"infinite), got {self.non_pay_share} + {self.rival_margin}"
            )
        whole_number("years", self.years, 1, 100)

    @property
    def starting_price(self) -> float:
        """The year-1 contract price (the given one, or the documented default)."""
        if self.initial_contract_price is not None:
            return float(self.initial_contract_price)
        in_house_pay_bill = self.staff * self.average_salary * (1 + self.transferred_pension_rate)
        return in_house_pay_bill * (1 + DEFAULT_STARTING_MARGIN) / (1 - self.non_pay_share)


@dataclass(frozen=True)
class YearResult:
    """One year of the projection (money in £ for the year)."""

    year: int
    contract_price: float
    share_on_public_terms: float
    salaries: float
    pension_cost: float
    pay_bill: float
    other_costs: float
    surplus: float
    retendered: bool
    won_retender: bool | None  # None when there was no retender this year
    mutual_bid: float | None  # the mutual's lowest cost-covering bid, at a retender
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
    """Share of staff still on transferred (public-sector) terms at the end of ``year``."""
    return (1.0 - assumptions.annual_turnover) ** year


def rival_bid(assumptions: MutualAssumptions, salaries: float) -> float:
    """The for-profit bidder's price for a year in which salaries cost ``salaries``."""
    public_package = salaries * (1 + assumptions.transferred_pension_rate)
    labour_cost = public_package * (1 - assumptions.rival_labour_cost_discount)
    return labour_cost / (1 - assumptions.non_pay_share - assumptions.rival_margin)


def project(assumptions: MutualAssumptions) -> MutualProjection:
    """Run the year-by-year projection described in the module docstring."""
    a = assumptions
    results: list[YearResult] = []
    price = a.starting_price
    for year in range(1, a.years + 1):
        public_share = share_on_public_terms(a, year)
        salaries = a.staff * a.average_salary * (1 + a.annual_pay_growth) ** (year - 1)
        pension_rate = (
            public_share * a.transferred_pension_rate
            + (1 - public_share) * a.recruit_pension_rate
        )
        pension_cost = salaries * pension_rate
        pay_bill = salaries + pension_cost
        other_costs = a.non_pay_share * price

        retendered = year % a.retender_every == 0
        mutual_bid = pay_bill / (1 - a.non_pay_share) if retendered else None
        rivals = rival_bid(a, salaries) if retendered else None
        won = None if not retendered else mutual_bid <= rivals

        results.append(
            YearResult(
                year=year,
                contract_price=price,
                share_on_public_terms=public_share,
                salaries=salaries,
                pension_cost=pension_cost,
                pay_bill=pay_bill,
                other_costs=other_costs,
                surplus=price - pay_bill - other_costs,
                retendered=retendered,
                won_retender=won,
                mutual_bid=mutual_bid,
                rival_bid=rivals,
            )
        )
        if won is False:
            break
        price *= 1 - a.annual_price_cut
        if won:
            # To beat the rival the mutual cannot charge more than the rival bid.
            price = min(price, rivals)
    return MutualProjection(assumptions=a, years=tuple(results))


def _thousands(pounds: float) -> str:
    return f"£{pounds / 1000:,.0f} thousand"


def _retender_sentence(projection: MutualProjection) -> str:
    retenders = [y for y in projection.years if y.retendered]
    if not retenders:
        return (
            f"The contract is not retendered within the {len(projection.years)} years shown."
        )
    lost = retenders[-1] if retenders[-1].won_retender is False else None
    if lost is not None:
        return (
            f"The contract would be lost at the retender in year {lost.year}: the mutual's "
            f"lowest cost-covering bid ({_thousands(lost.mutual_bid)}) is above the "
            f"for-profit rival's ({_thousands(lost.rival_bid)})."
        )
    years = " and ".join(str(y.year) for y in retenders)
    plural = "s" if len(retenders) > 1 else ""
    last = retenders[-1]
    return (
        f"The mutual keeps the contract at the retender{plural} in year{plural} {years}; "
        f"at the last one its lowest bid was {_thousands(last.mutual_bid)} against the "
        f"rival's {_thousands(last.rival_bid)}."
    )


def summary_text(projection: MutualProjection) -> str:
    """A plain-language summary of ``projection`` (fixed decimals, so it is repeatable)."""
    first, last = projection.years[0], projection.years[-1]
    opening = (
        f"The contract starts at {_thousands(first.contract_price)} a year, leaving a "
        f"surplus of {_thousands(first.surplus)} in year 1."
        if first.surplus >= 0
        else f"The contract starts at {_thousands(first.contract_price)} a year, leaving a "
        f"deficit of {_thousands(-first.surplus)} in year 1."
    )
    staff = (
        f"After {last.year} year{'s' if last.year > 1 else ''} "
        f"{100 * last.share_on_public_terms:.0f}% of staff are still on public-sector terms."
    )
    loss_year = projection.first_loss_year
    surplus = (
        f"The surplus turns negative in year {loss_year}."
        if loss_year is not None
        else "The surplus stays positive in every year shown."
    )
    return " ".join([opening, staff, surplus, _retender_sentence(projection)])
