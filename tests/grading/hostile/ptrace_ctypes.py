"""ctypes: ptrace the parent, or poke the interpreter's memory."""

CODE = "import ctypes, os\nlibc = ctypes.CDLL(None)\nlibc.ptrace(16, os.getppid(), 0, 0)"
PROBLEM = "ctypes"
