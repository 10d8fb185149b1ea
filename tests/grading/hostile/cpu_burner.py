"""A subprocess that burns CPU and should outlive its kernel."""

CODE = (
    "import subprocess, sys\n"
    "subprocess.Popen([sys.executable, '-c', 'while True: pass'], start_new_session=True)"
)
PROBLEM = "subprocess.Popen"
