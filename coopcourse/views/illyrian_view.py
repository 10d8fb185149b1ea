"""Interactive view of the Illyrian firm against the profit-maximising firm (lesson 4)."""

from __future__ import annotations

import dataclasses

from coopcourse.model_plots import plot_employment
from coopcourse.models import illyrian
from coopcourse.models.illyrian import WORKED_EXAMPLE, FirmComparison, FirmParameters
from coopcourse.views._explorer import ModelExplorer, slider


def comparison_summary(comparison: FirmComparison, crossover: float) -> str:
    """A plain-language reading of both firms' choices at one price."""
    c = comparison
    opening = (
        f"At a price of £{c.price:.2f} the profit-maximising firm employs "
        f"{c.profit_max_employment:.2f} workers and the co-operative "
        f"{c.labour_managed_employment:.2f}"
    )
    income, wage = f"£{c.income_per_member:.2f}", f"£{c.wage:.2f}"
    if c.larger_employer == "equal":
        reason = (
            f"; they employ the same number because income per member ({income}) equals "
            f"the wage ({wage}) and the profit-maximising firm just breaks even."
        )
    elif c.cooperative_employs_fewer:
        reason = (
            f"; the co-operative employs fewer because income per member ({income}) exceeds "
            f"the wage ({wage})."
        )
    else:
        reason = (
            f"; the co-operative employs more because income per member ({income}) is below "
            f"the wage ({wage})."
        )
    outlook = (
        f" The two firms employ the same number at the crossover price of £{crossover:.2f}."
        " A higher price would make the profit-maximising firm grow and the co-operative shrink."
    )
    return opening + reason + outlook


class IllyrianExplorer(ModelExplorer):
    """Sliders for price, fixed cost, wage and elasticity; figure and reading update.

    The productivity A has no slider: it stays at the starting firm's value.
    """

    def __init__(self, price: float, firm: FirmParameters):
        if not isinstance(firm, FirmParameters):
            raise TypeError(f"firm must be a FirmParameters, got {type(firm).__name__}")
        # Fail early, with the model's own messages, on an impossible price or F = 0.
        illyrian.compare_firms(price, firm)
        self.base = firm
        super().__init__({
            "price": slider("Price (£ per unit of output)", price, 0.5, 8.0, 0.05, ".2f"),
            "fixed_cost": slider("Fixed cost (£)", firm.fixed_cost, 5.0, 150.0, 5.0, ".0f"),
            "wage": slider("Wage (£ per worker)", firm.wage, 1.0, 10.0, 0.25, ".2f"),
            "elasticity": slider("Output elasticity of labour (a)", firm.elasticity, 0.2, 0.8,
                                 0.05, ".2f"),
        })

    @property
    def firm(self) -> FirmParameters:
        """The starting firm with the sliders' current fixed cost, wage and elasticity."""
        return self._firm(self.values)

    def _firm(self, values: dict[str, float]) -> FirmParameters:
        return dataclasses.replace(
            self.base,
            **{name: value for name, value in values.items() if name != "price"},
        )

    def draw(self, values):
        price, firm = values["price"], self._firm(values)
        comparison = illyrian.compare_firms(price, firm)
        crossover = illyrian.crossover_price(firm)
        summary = comparison_summary(comparison, crossover)
        alt_text = (
            "Line chart of employment (workers) against price (£ per unit of output). "
            "The profit-maximising firm's employment rises with price and the co-operative's "
            f"falls; the curves cross at £{crossover:.2f}. " + summary
        )
        return plot_employment(price, firm), alt_text, summary


def illyrian_explorer(
    price: float = 3.0, firm: FirmParameters = WORKED_EXAMPLE
) -> IllyrianExplorer:
    """The firm explorer at ``price`` for ``firm``; show it as a cell's last expression."""
    return IllyrianExplorer(price, firm)
