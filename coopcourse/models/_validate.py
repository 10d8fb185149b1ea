"""Input checks shared by the models: clear errors that name the parameter."""

from __future__ import annotations

import math
from numbers import Integral, Real


def real_number(name: str, value: object) -> float:
    """Return ``value`` as a finite float, or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return number


def whole_number(name: str, value: object, minimum: int, maximum: int | None = None) -> int:
    """Return ``value`` as an int in [minimum, maximum], or raise naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r}")
    number = int(value)
    if number < minimum or (maximum is not None and number > maximum):
        upper = "" if maximum is None else f" and at most {maximum}"
        raise ValueError(f"{name} must be at least {minimum}{upper}, got {number}")
    return number


def positive(name: str, value: object) -> float:
    number = real_number(name, value)
    if number <= 0:
        raise ValueError(f"{name} must be greater than 0, got {value!r}")
    return number


def non_negative(name: str, value: object) -> float:
    number = real_number(name, value)
    if number < 0:
        raise ValueError(f"{name} must be 0 or more, got {value!r}")
    return number


def in_range(
    name: str,
    value: object,
    low: float,
    high: float,
    *,
    include_low: bool = True,
    include_high: bool = True,
) -> float:
    """Return ``value`` if it lies in the interval, else raise naming it and the interval."""
    number = real_number(name, value)
    above_low = number >= low if include_low else number > low
    below_high = number <= high if include_high else number < high
    if not (above_low and below_high):
        interval = (
            ("[" if include_low else "(") + f"{low:g}, {high:g}" + ("]" if include_high else ")")
        )
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return number
