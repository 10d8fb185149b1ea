"""Figures of the two models, with titles, units and legends.

Each function returns a matplotlib ``Figure`` (not tied to pyplot, so views
can redraw many times without leaking figures). Show it in a lesson with
``coopcourse.figure_display.show_figure(fig, alt_text)``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from coopcourse.models import illyrian
from coopcourse.models.mutual import MutualProjection

_PROFIT_COLOUR = "#1b6ca8"  # blue and orange stay distinct with colour-blindness
_COOP_COLOUR = "#d95f02"


def _price_grid(price: float, crossing: float) -> np.ndarray:
    low = min(0.5 * crossing, 0.8 * price)
    high = max(2.0 * crossing, 1.2 * price)
    return np.linspace(low, high, 200)


def plot_employment(
    price: float = 3.0, firm: illyrian.FirmParameters = illyrian.WORKED_EXAMPLE
) -> Figure:
    """Both firms' employment against price, marking the crossover and ``price``."""
    chosen = illyrian.compare_firms(price, firm)
    crossing = illyrian.crossover_price(firm)
    prices = _price_grid(price, crossing)
    profit_max = [illyrian.profit_maximising_employment(p, firm) for p in prices]
    coop = [illyrian.labour_managed_employment(p, firm) for p in prices]

    fig = Figure(figsize=(7, 4.5))
    ax = fig.add_subplot()
    ax.plot(prices, profit_max, color=_PROFIT_COLOUR, linewidth=2,
            label="Profit-maximising firm (L*)")
    ax.plot(prices, coop, color=_COOP_COLOUR, linewidth=2, linestyle="--",
            label="Labour-managed co-operative (L**)")
    common = illyrian.profit_maximising_employment(crossing, firm)
    ax.axvline(crossing, color="grey", linestyle=":", linewidth=1)
    ax.plot([crossing], [common], marker="o", color="black", linestyle="none",
            label=f"Crossover: price £{crossing:.2f}, zero profit")
    ax.axvline(price, color="black", linewidth=1)
    ax.plot([price, price], [chosen.profit_max_employment, chosen.labour_managed_employment],
            marker="s", color="black", linestyle="none", label=f"Chosen price £{price:.2f}")
    top = 2.5 * max(common, chosen.profit_max_employment, chosen.labour_managed_employment)
    ax.set_ylim(0, top)
    ax.set_xlim(prices[0], prices[-1])
    ax.set_title("Employment of a profit-maximising firm and a labour-managed co-operative")
    ax.set_xlabel("Price (£ per unit of output)")
    ax.set_ylabel("Employment (workers)")
    ax.legend(loc="upper center", fontsize="small")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def _mark_retenders(ax, projection: MutualProjection) -> None:
    for result in projection.years:
        if result.retendered:
            style = "-" if result.won_retender else "-."
            ax.axvline(result.year, color="black", linestyle=style, linewidth=1, alpha=0.6)


def plot_mutual(projection: MutualProjection) -> Figure:
    """Price, pay bill and bids; surplus; and share of staff on NHS terms, by year."""
    years = [r.year for r in projection.years]
    thousand = 1000.0
    fig = Figure(figsize=(9, 8), layout="constrained")
    money, surplus_ax, staff_ax = fig.subplots(3, 1, sharex=True)

    money.plot(years, [r.contract_price / thousand for r in projection.years],
               color=_PROFIT_COLOUR, marker="o", label="Contract price")
    money.plot(years, [r.pay_bill / thousand for r in projection.years],
               color=_COOP_COLOUR, marker="s", linestyle="--",
               label="Pay bill (salaries and employer pensions)")
    money.plot(years, [(r.pay_bill + r.other_costs) / thousand for r in projection.years],
               color="grey", linestyle=":", linewidth=2, label="All costs (pay and non-pay)")
    money.set_ylabel("£ thousand per year")
    money.set_title("A spun-out mutual: contract price, pay bill and surplus")

    surpluses = [r.surplus / thousand for r in projection.years]
    colours = [_PROFIT_COLOUR if s >= 0 else _COOP_COLOUR for s in surpluses]
    surplus_ax.bar(years, surpluses, color=colours, label="Surplus (deficit below zero)")
    surplus_ax.axhline(0, color="black", linewidth=0.8)
    surplus_ax.set_ylabel("Surplus (£ thousand per year)")

    staff_ax.plot(years, [100 * r.share_on_public_terms for r in projection.years],
                  color="black", marker="o", label="Staff on NHS terms")
    staff_ax.set_ylim(0, 105)
    staff_ax.set_ylabel("Share of staff (%)")
    staff_ax.set_xlabel("Year of contract")

    retenders = [r for r in projection.years if r.retendered]
    if retenders:
        money.plot([r.year for r in retenders], [r.mutual_bid / thousand for r in retenders],
                   color=_COOP_COLOUR, marker="^", linestyle="none", markersize=8,
                   label="Mutual's bid (first year of next term)")
        money.plot([r.year for r in retenders], [r.rival_bid / thousand for r in retenders],
                   color="black", marker="v", linestyle="none", markersize=8,
                   label="For-profit rival's bid")
    for ax in (money, surplus_ax, staff_ax):
        _mark_retenders(ax, projection)
        ax.grid(alpha=0.3)
    # Legend entries that explain the vertical retender lines.
    if any(r.won_retender for r in retenders):
        staff_ax.plot([], [], color="black", linewidth=1, label="Retender: contract kept")
    lost = projection.lost_retender_year
    if lost is not None:
        staff_ax.plot([], [], color="black", linestyle="-.", linewidth=1,
                      label="Retender: contract lost")
        staff_ax.text(lost + 0.2, 50, "Contract passes\nto the rival", fontsize="small")
    horizon = projection.assumptions.years
    staff_ax.set_xlim(0.4, horizon + 0.6)
    staff_ax.set_xticks(range(1, horizon + 1))
    # Legends sit to the right of the panels, so they never hide a line or a bar.
    for ax in (money, surplus_ax, staff_ax):
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1), fontsize="small")
    return fig
