"""Rules for writing fair hidden checks, used by the assignment tests.

A hidden check earns points without the learner seeing its inputs, so its
expected value must not be something a blind guess hits: ``guess_space`` counts
the plausible values a guesser would try, and a check whose expected value has
at most ``GUESSABLE_SPACE`` of them (a 1-in-100 chance or better) must be
bundled with something harder to guess or redesigned.
"""

from __future__ import annotations

import math

GUESSABLE_SPACE = 100

# How many plausible values a guesser would try for each kind of simple value.
_NONE_OR_BOOL = 3  # None, True, False
_SMALL_INTEGER = 21  # -10 … 10
_SHORT_STRING = 2  # "" or one character: still a near-certain guess among few options
SMALL_INTEGER_LIMIT = 10


def guess_space(value: object) -> float:
    """The number of values a blind guesser would have to try; ``math.inf`` if unbounded."""
    if value is None or type(value) is bool:
        return _NONE_OR_BOOL
    if type(value) is int or (type(value) is float and float(value).is_integer()):
        return _SMALL_INTEGER if abs(value) <= SMALL_INTEGER_LIMIT else math.inf
    if type(value) is str:
        return _SHORT_STRING if len(value) <= 1 else math.inf
    if type(value) is dict:
        items = list(value.values())
    elif type(value) in (list, tuple, set, frozenset):
        items = list(value)
    else:
        return math.inf
    space = 1.0
    for item in items:
        space *= guess_space(item)
        if space == math.inf:
            break
    return space


def is_guessable(value: object) -> bool:
    return guess_space(value) <= GUESSABLE_SPACE
