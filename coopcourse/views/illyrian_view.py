"""Interactive view of the Illyrian firm against the profit-maximising firm (lesson 4)."""

from __future__ import annotations

from coopcourse.model_plots import plot_employment
from coopcourse.models import illyrian
from coopcourse.models.illyrian import FirmComparison
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
    """Sliders for price, fixed cost, wage and elasticity; figure and reading update."""

    def __init__(self, price: float, productivity: float, elasticity: float,
                 fixed_cost: float, wage: float):
        # Fail early, with the model's own messages, on impossible inputs.
        illyrian.compare_firms(price, productivity, elasticity, fixed_cost, wage)
        self.productivity = float(productivity)
        super().__init__({
            "price": slider("Price (£ per unit of output)", price, 0.5, 8.0, 0.05, ".2f"),
            "fixed_cost": slider("Fixed cost (£)", fixed_cost, 5.0, 150.0, 5.0, ".0f"),
            "wage": slider("Wage (£ per worker)", wage, 1.0, 10.0, 0.25, ".2f"),
            "elasticity": slider("Output elasticity of labour (a)", elasticity, 0.2, 0.8,
                                 0.05, ".2f"),
        })

    def draw(self, values):
        settings = dict(values, productivity=self.productivity)
        comparison = illyrian.compare_firms(**settings)
        crossover = illyrian.crossover_price(
            self.productivity, values["elasticity"], values["fixed_cost"], values["wage"]
        )
        summary = comparison_summary(comparison, crossover)
        alt_text = (
            "Line chart of employment (workers) against price (£ per unit of output). "
            "The profit-maximising firm's employment rises with price and the co-operative's "
            f"falls; the curves cross at £{crossover:.2f}. " + summary
        )
        return plot_employment(**settings), alt_text, summary


def illyrian_explorer(
    price: float = 3.0,
    productivity: float = illyrian.DEFAULT_PRODUCTIVITY,
    elasticity: float = illyrian.DEFAULT_ELASTICITY,
    fixed_cost: float = illyrian.DEFAULT_FIXED_COST,
    wage: float = illyrian.DEFAULT_WAGE,
) -> IllyrianExplorer:
    """The firm explorer; show it as a cell's last expression."""
    return IllyrianExplorer(price, productivity, elasticity, fixed_cost, wage)
