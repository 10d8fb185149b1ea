"""SIGSTOP to the kernel's parent (the grader, before the sandbox) to hang the class."""

CODE = "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)"
PROBLEM = "signal a process"
