"""Thousands of empty cells, each cheap, together holding a worker far past the budget.

(Twenty thousand rather than a hundred thousand keeps the test suite quick; the
time budget stops both the same way.)"""

CODE = "pass"
REPEAT = 20_000
PROBLEM = "time budget"
