"""Answers with an int of six million bits, small enough to export, slow to rebuild.

Rebuilt digit by digit in Python, each such value took the grader about a
minute, outside every time budget; the decoder now refuses ints past a cap."""

CODE = "def double(x):\n    return (1 << 6_000_000) - 1"
PROBLEM = None  # the value is refused, so the check simply fails
