"""os.kill(-1, 9) straight from the kernel."""

CODE = "import os\nos.kill(-1, 9)"
PROBLEM = "signal a process"
