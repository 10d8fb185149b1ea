"""How long the models and their views take: one projection, one view update.

Run: python benchmarks/models.py   (prints the median of several repeats)
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from coopcourse.models import MutualAssumptions, compare_firms, project
from coopcourse.models.mutual import sensitivity
from coopcourse.views import illyrian_explorer, mutual_explorer


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    assumptions = MutualAssumptions(years=30)
    firms = illyrian_explorer()
    mutual = mutual_explorer()
    prices = iter([2.0, 3.0] * 50)
    turnovers = iter([0.05, 0.1] * 50)

    def move_price() -> None:
        firms.sliders["price"].value = next(prices)

    def move_turnover() -> None:
        mutual.sliders["annual_turnover"].value = next(turnovers)

    rows = [
        ("one 30-year mutual projection", median_seconds(lambda: project(assumptions), 200)),
        ("one sensitivity table (mutual)", median_seconds(sensitivity, 5)),
        ("one firm comparison", median_seconds(lambda: compare_firms(3.0), 200)),
        ("one firm-explorer update (figure + summary)", median_seconds(move_price, 10)),
        ("one mutual-explorer update (figure + summary)", median_seconds(move_turnover, 10)),
    ]
    for label, seconds in rows:
        print(f"{label:<48} {seconds * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
