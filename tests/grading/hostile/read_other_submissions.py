"""Reads the course's solutions and other students' submissions to copy answers."""

CODE = (
    "import glob, os\n"
    "found = glob.glob('/**/solutions/fx_demo/*.ipynb', recursive=True)\n"
    "found += glob.glob('/**/submitted/*/fx_demo/*.ipynb', recursive=True)\n"
    "if found:\n"
    "    def double(x):\n"
    "        return 2 * x"
)
PROBLEM = None
