"""Interactive view of a spun-out mutual's finances and its retenders (lesson 3)."""

from __future__ import annotations

import dataclasses

import ipywidgets as widgets

from coopcourse.model_plots import plot_mutual
from coopcourse.models.mutual import MutualAssumptions, project, summary_text
from coopcourse.views._explorer import ModelExplorer, slider


class MutualExplorer(ModelExplorer):
    """Controls for the assumptions the 2010 debate argued over; the rest stay fixed.

    Every contract price is a winning bid, so moving a control can change both
    the mutual's costs and what the commissioner pays.
    """

    def __init__(self, assumptions: MutualAssumptions):
        if not isinstance(assumptions, MutualAssumptions):
            raise TypeError(
                f"assumptions must be a MutualAssumptions, got {type(assumptions).__name__}"
            )
        self.base = assumptions
        a = assumptions
        fair_deal = widgets.Checkbox(
            value=a.fair_deal, indent=False,
            description="Fair Deal: the rival must offer ex-NHS staff a comparable pension",
        )
        super().__init__({
            "annual_turnover": slider("Staff turnover per year", a.annual_turnover,
                                      0.0, 0.3, 0.01, ".0%"),
            "annual_price_cut": slider("Contract price cut per year", a.annual_price_cut,
                                       0.0, 0.1, 0.005, ".1%"),
            "mutual_margin": slider("Mutual's surplus margin on cost", a.mutual_margin,
                                    0.0, 0.15, 0.005, ".1%"),
            "rival_margin": slider("Rival's profit margin on cost", a.rival_margin,
                                   0.0, 0.15, 0.005, ".1%"),
            "rival_recruit_pay_cut": slider(
                "Rival's pay for its recruits, below NHS rates", a.rival_recruit_pay_cut,
                0.0, 0.3, 0.01, ".0%"),
            "recruit_employer_rate": slider(
                "Employer pension rate for recruits (share of pay)", a.recruit_employer_rate,
                0.0, 0.25, 0.01, ".0%"),
            "fair_deal": fair_deal,
        })

    @property
    def assumptions(self) -> MutualAssumptions:
        """The base assumptions with the controls' current values."""
        return dataclasses.replace(self.base, **self.values)

    def draw(self, values):
        projection = project(dataclasses.replace(self.base, **values))
        summary = summary_text(projection)
        alt_text = (
            "Three charts by year of contract: the contract price, pay bill and all costs "
            "(£ thousand per year) with both bids at each retender; the surplus; and the "
            "share of staff on NHS terms, with retender years marked. " + summary
        )
        return plot_mutual(projection), alt_text, summary


def mutual_explorer(assumptions: MutualAssumptions | None = None) -> MutualExplorer:
    """The mutual explorer, starting from ``assumptions`` (defaults if None)."""
    return MutualExplorer(assumptions if assumptions is not None else MutualAssumptions())
