"""The course's two economic models: a frozen, checked dataclass of each model's
inputs, and plain functions that take it.

* :mod:`coopcourse.models.illyrian`: Ward's labour-managed ("Illyrian") firm
  next to a profit-maximising firm (lesson 4).
* :mod:`coopcourse.models.mutual`: the finances of a spun-out public-service
  mutual: pensions, price cuts and retendering (lesson 3).
"""

from coopcourse.models.illyrian import (
    FirmComparison,
    FirmParameters,
    compare_firms,
    crossover_price,
    income_per_member,
    labour_managed_employment,
    labour_managed_output,
    output,
    profit,
    profit_maximising_employment,
)
from coopcourse.models.mutual import (
    MutualAssumptions,
    MutualProjection,
    YearResult,
    project,
    summary_text,
)

__all__ = [
    "FirmComparison",
    "FirmParameters",
    "MutualAssumptions",
    "MutualProjection",
    "YearResult",
    "compare_firms",
    "crossover_price",
    "income_per_member",
    "labour_managed_employment",
    "labour_managed_output",
    "output",
    "profit",
    "profit_maximising_employment",
    "project",
    "summary_text",
]
