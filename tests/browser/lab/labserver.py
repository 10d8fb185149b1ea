"""Start an isolated JupyterLab server on a temporary copy of the course.

Everything JupyterLab would read from or write to the home folder (config,
data, runtime files, user settings, workspaces, quiz progress) is pointed at
a temporary folder, so a test run neither depends on nor changes the
machine's own Jupyter setup. Kernelspecs and lab extensions still come from
the environment's ``share/jupyter`` (sys.prefix), which is what we want.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

COURSE_ROOT = Path(__file__).resolve().parents[3]

# Folders that are never part of the course a learner opens.
_NOT_COURSE = (
    ".git", ".ruff_cache", ".pytest_cache", "__pycache__", "*.egg-info", "build", "dist",
    "test-artifacts", ".ipynb_checkpoints", "submitted", "autograded", "feedback",
    "gradebook.db", "gradebook.db-journal",
)

# Settings a fresh learner would have to click through; the browser tests must not.
SETTINGS_OVERRIDES = {
    # Start the notebook's kernel without the "Select Kernel" dialog.
    "@jupyterlab/notebook-extension:tracker": {"autoStartDefaultKernel": True},
    # No news/update check: no network call and no toast over the notebook.
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_course(source: Path, destination: Path) -> Path:
    """Copy the course folder (without git data, caches or student work)."""
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(*_NOT_COURSE))
    return destination


@dataclass
class LabServer:
    """A running ``jupyter lab`` process and how to reach it."""

    process: subprocess.Popen
    port: int
    token: str
    root: Path
    home: Path
    log_path: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "lab", **query: str) -> str:
        params = "&".join(f"{key}={value}" if value else key for key, value in query.items())
        return f"{self.base_url}/{path.lstrip('/')}" + (f"?{params}" if params else "")

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 10) -> object:
        """Call the server's REST API with the token; return the decoded JSON (or None)."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.base_url}/{path.lstrip('/')}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = response.read()
        return json.loads(payload) if payload else None

    def api_when_ready(self, path: str, patience: float = 600) -> object:
        """GET ``path`` once the server answers it: a busy machine may take long to
        serve a first request (formgrader opens its gradebook), so this waits for an
        answer rather than for a fixed time; ``patience`` only stops a hung server."""
        deadline = time.monotonic() + patience
        while True:
            try:
                return self.api("GET", path, timeout=60)
            except (TimeoutError, urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:])

    def shutdown_kernels(self) -> None:
        """Shut down every running kernel (each lesson leaves one behind)."""
        for kernel in self.api("GET", "api/kernels") or []:
            try:
                self.api("DELETE", f"api/kernels/{kernel['id']}")
            except urllib.error.HTTPError as error:
                if error.code != 404:  # already gone
                    raise

    def stop(self, timeout: float = 30) -> None:
        """Stop this server (and its kernels) by its own process id; wait for it to exit."""
        if self.process.poll() is not None:
            return
        try:
            # A clean shutdown also stops the kernels, which run in their own sessions.
            self.api("POST", "api/shutdown", timeout=5)
        except (OSError, urllib.error.URLError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def isolated_env(home: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the server and its kernels, with every Jupyter folder under ``home``."""
    folders = {
        "JUPYTER_CONFIG_DIR": "config",
        "JUPYTER_DATA_DIR": "data",
        "JUPYTER_RUNTIME_DIR": "runtime",
        "JUPYTERLAB_SETTINGS_DIR": "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
        "IPYTHONDIR": "ipython",
        "MPLCONFIGDIR": "matplotlib",
    }
    env = dict(os.environ)
    for variable, name in folders.items():
        path = home / name
        path.mkdir(parents=True, exist_ok=True)
        env[variable] = str(path)
    # As in an activated environment: nbgrader's gradebook runs the `alembic`
    # command found on PATH, and formgrader answers 500 without it.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env["COOPCOURSE_PROGRESS_FILE"] = str(home / "progress.json")
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def start_lab(
    root: Path,
    home: Path,
    *,
    extra_env: dict[str, str] | None = None,
    startup_timeout: float = 90,
) -> LabServer:
    """Start ``jupyter lab`` serving ``root``; return once its API answers."""
    app_settings = home / "app-settings"
    app_settings.mkdir(parents=True, exist_ok=True)
    (app_settings / "overrides.json").write_text(json.dumps(SETTINGS_OVERRIDES, indent=1))
    port, token = free_port(), secrets.token_hex(16)
    env = isolated_env(home, extra_env)
    log_path = home / "jupyter-lab.log"
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        # Overrides live here rather than in the shared environment's share/jupyter.
        f"--LabApp.app_settings_dir={app_settings}",
        # window.jupyterapp lets tests run commands (run all, clear outputs) directly.
        "--LabApp.expose_app_in_browser=True",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    server = LabServer(process, port, token, root, home, log_path, extra_env or {})
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited with code {process.returncode}:\n{server.log_tail()}"
            )
        try:
            server.api("GET", "api/status", timeout=2)
            return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    server.stop()
    raise TimeoutError(
        f"jupyter lab did not answer within {startup_timeout:.0f}s:\n{server.log_tail()}"
    )
