"""Interactive view of a spun-out mutual's finances (lesson 3)."""

from __future__ import annotations

import dataclasses

from coopcourse.models.mutual import MutualAssumptions, project, summary_text
from coopcourse.plots import plot_mutual
from coopcourse.views._explorer import ModelExplorer, slider


class MutualExplorer(ModelExplorer):
    """Sliders for the assumptions the 2010 debate argued over; the rest stay fixed.

    The contract price path is that of the starting assumptions whatever the
    sliders say: the sliders change the mutual's costs and its rival, not what
    the commissioner pays.
    """

    def __init__(self, assumptions: MutualAssumptions):
        if not isinstance(assumptions, MutualAssumptions):
            raise TypeError(
                f"assumptions must be a MutualAssumptions, got {type(assumptions).__name__}"
            )
        # The commissioner's price is fixed by the starting assumptions, so moving
        # a cost slider (e.g. the pension rate) changes costs, not the price paid.
        self.base = dataclasses.replace(
            assumptions, initial_contract_price=assumptions.starting_price
        )
        a = assumptions
        super().__init__({
            "annual_turnover": slider("Staff turnover per year", a.annual_turnover,
                                      0.0, 0.3, 0.01, ".0%"),
            "annual_price_cut": slider("Contract price cut per year", a.annual_price_cut,
                                       0.0, 0.1, 0.005, ".1%"),
            "rival_labour_cost_discount": slider(
                "Rival's labour-cost advantage", a.rival_labour_cost_discount,
                0.0, 0.3, 0.01, ".0%"),
            "transferred_pension_rate": slider(
                "Pension of transferred staff (share of pay)", a.transferred_pension_rate,
                0.0, 0.35, 0.01, ".0%"),
            "recruit_pension_rate": slider(
                "Pension of new recruits (share of pay)", a.recruit_pension_rate,
                0.0, 0.25, 0.01, ".0%"),
        })

    @property
    def assumptions(self) -> MutualAssumptions:
        """The base assumptions with the sliders' current values."""
        return dataclasses.replace(self.base, **self.values)

    def draw(self, values):
        projection = project(dataclasses.replace(self.base, **values))
        summary = summary_text(projection)
        alt_text = (
            "Three charts by year of contract: the contract price, pay bill and all costs "
            "(£ thousand per year); the surplus; and the share of staff on public-sector "
            "terms, with retender years marked. " + summary
        )
        return plot_mutual(projection), alt_text, summary


def mutual_explorer(assumptions: MutualAssumptions | None = None) -> MutualExplorer:
    """The mutual explorer, starting from ``assumptions`` (defaults if None)."""
    return MutualExplorer(assumptions if assumptions is not None else MutualAssumptions())
