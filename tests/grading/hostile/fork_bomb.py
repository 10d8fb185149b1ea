"""A fork bomb."""

CODE = "import os\nwhile True:\n    os.fork()"
PROBLEM = "use os.fork"
