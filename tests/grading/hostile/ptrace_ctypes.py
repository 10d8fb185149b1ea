"""ctypes: ptrace the parent, or poke the interpreter's memory."""

CODE = (
    "import ctypes, os\n"
    "libc = ctypes.CDLL(None)\n"
    "libc.ptrace(16, os.getppid(), 0, 0)"
)
PROBLEM = "ctypes"
