"""Many cells each sleeping just under the cell timeout, to hold a worker for minutes."""

CODE = "import time\ntime.sleep(3.5)"
REPEAT = 12
PROBLEM = "time budget"
