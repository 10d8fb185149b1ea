"""Install the course the way Binder does, in a fresh environment, and run lesson 0.

repo2docker reads the ``binder/`` folder: ``runtime.txt`` for the Python
version, ``pip install -r binder/requirements.txt`` (pinned, in a cached
layer), then ``binder/postBuild``, which installs the package non-editable
with ``--no-deps``. A dependency missing from the pins, or a package data file
not declared in pyproject.toml, breaks Binder while an editable install here
hides it; these tests catch both. The environment is built once per run (a few minutes the
first time; pip's local cache makes later runs quicker), so these tests run
only when asked for: ``python -m pytest -m binder``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

COURSE_ROOT = Path(__file__).resolve().parent.parent
INSTALL_TIMEOUT = 1800  # seconds; a cold pip cache downloads JupyterLab, nbgrader, Playwright

# Minutes of installing: kept out of the everyday test run (pyproject's addopts
# deselect it); run it with `python -m pytest -m binder`, as CI does in its own step.
pytestmark = pytest.mark.binder


def runtime_python() -> tuple[str, str | None]:
    """The version runtime.txt names and the interpreter for it on this machine (or None)."""
    text = (COURSE_ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)(?:\.\d+)?", text)
    if not match:
        raise AssertionError(f"runtime.txt should read like 'python-3.11', not {text!r}")
    version = f"{match.group(1)}.{match.group(2)}"
    candidates = [shutil.which(f"python{version}")]
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        candidates.append(sys.executable)
    return version, next((c for c in candidates if c), None)


def committed_files(root: Path) -> list[Path]:
    """What Binder sees: the files git tracks (their current content)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True
    ).stdout.decode().split("\0")
    return [root / name for name in listed if name and (root / name).is_file()]


def copy_repository(root: Path, destination: Path) -> Path:
    if (root / ".git").exists():
        for path in committed_files(root):
            target = destination / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    else:  # an unpacked archive: copy everything but build leftovers
        shutil.copytree(root, destination, ignore=shutil.ignore_patterns(
            "build", "dist", "*.egg-info", "__pycache__", ".pytest_cache", "test-artifacts"))
    return destination


def _run(command, *, cwd, env, timeout=INSTALL_TIMEOUT) -> subprocess.CompletedProcess:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        shown = " ".join(str(part) for part in command)
        raise AssertionError(
            f"`{shown}` failed with code {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


class BinderEnv:
    def __init__(self, base: Path, python: str):
        self.base = base
        self.repo = copy_repository(COURSE_ROOT, base / "repo")
        self.venv = base / "venv"
        self.bin = self.venv / "bin"
        self.python = self.bin / "python"
        self.outside = base / "elsewhere"  # a folder with no course files in it
        self.outside.mkdir()
        home = base / "home"
        self.env = {
            key: value for key, value in os.environ.items()
            if not key.startswith(("PYTHON", "JUPYTER", "VIRTUAL_ENV", "PIP_NO_CACHE"))
        }
        self.env.update(
            PATH=os.pathsep.join([str(self.bin), os.environ.get("PATH", "")]),
            VIRTUAL_ENV=str(self.venv),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_DATA_DIR=str(home / "data"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            IPYTHONDIR=str(home / "ipython"),
            MPLCONFIGDIR=str(home / "matplotlib"),
            COOPCOURSE_PROGRESS_FILE=str(home / "progress.json"),
        )
        _run([python, "-m", "venv", str(self.venv)], cwd=base, env=self.env)

    def run(self, *args, cwd=None, timeout=INSTALL_TIMEOUT):
        return _run(list(args), cwd=cwd or self.repo, env=self.env, timeout=timeout)


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory) -> BinderEnv:
    version, python = runtime_python()
    if python is None:
        pytest.skip(f"runtime.txt asks for Python {version}, which is not installed here "
                    f"(no python{version} on PATH)")
    env = BinderEnv(tmp_path_factory.mktemp("binder"), python)
    # repo2docker's steps, in its order, from the repository root.
    env.run(env.python, "-m", "pip", "install", "-r", "binder/requirements.txt")
    env.run("bash", "binder/postBuild")
    return env


def test_runtime_matches_requires_python():
    version, _ = runtime_python()
    pyproject = (COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    spec = re.search(r'requires-python\s*=\s*"([^"]+)"', pyproject).group(1)
    from packaging.specifiers import SpecifierSet

    assert f"{version}.0" in SpecifierSet(spec), (
        f"runtime.txt (python-{version}) is outside requires-python {spec!r}"
    )


def test_requirements_are_consistent(binder_env):
    result = binder_env.run(binder_env.python, "-m", "pip", "check")
    assert "No broken requirements" in result.stdout


def test_learners_get_no_instructor_or_test_tools(binder_env):
    script = (
        "import importlib.util\n"
        "print([m for m in ('nbgrader', 'pytest', 'playwright', 'ruff', 'nbval')\n"
        "       if importlib.util.find_spec(m)])\n"
    )
    result = binder_env.run(binder_env.python, "-c", script, cwd=binder_env.outside)
    assert result.stdout.strip() == "[]"


def test_package_is_installed_non_editable_with_its_data(binder_env):
    script = (
        "import pathlib, coopcourse\n"
        "from coopcourse import seeds\n"
        "from coopcourse.quiz.bank import bank_paths, load_bank_file\n"
        "print(pathlib.Path(coopcourse.__file__).resolve())\n"
        "print(len([load_bank_file(p) for p in bank_paths()]))\n"
        "print(len(seeds.load('ft').paragraphs) > 0, len(seeds.blog_comments()) > 0)\n"
    )
    result = binder_env.run(binder_env.python, "-c", script, cwd=binder_env.outside)
    location, banks, seeds_ok = result.stdout.strip().splitlines()
    site = str(binder_env.venv.resolve())
    assert location.startswith(site), f"coopcourse imported from {location}, not the new env"
    assert "site-packages" in location, f"coopcourse is not installed non-editable: {location}"
    shipped = len(list((COURSE_ROOT / "coopcourse" / "quizbanks").glob("*.yaml")))
    assert int(banks) == shipped, "quiz banks missing from the installed package"
    assert seeds_ok == "True True", "seed texts missing from the installed package"


def test_lesson_0_runs_without_errors(binder_env):
    lesson = binder_env.repo / "lessons" / "00_start_here.ipynb"
    script = (
        "import sys, nbformat\n"
        "from nbclient import NotebookClient\n"
        "path = sys.argv[1]\n"
        "nb = nbformat.read(path, as_version=4)\n"
        "NotebookClient(nb, kernel_name='python3', timeout=300,\n"
        "               resources={'metadata': {'path': sys.argv[2]}}).execute()\n"
        "errors = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs\n"
        "          if o.output_type == 'error']\n"
        "print(len(errors))\n"
    )
    result = binder_env.run(
        binder_env.python, "-c", script, str(lesson), str(lesson.parent),
        cwd=binder_env.outside, timeout=600,
    )
    assert result.stdout.strip().splitlines()[-1] == "0"


def test_widgets_render_in_the_binder_jupyterlab(binder_env):
    """Quizzes and models are ipywidgets: JupyterLab there must have the widget manager."""
    result = binder_env.run(binder_env.bin / "jupyter", "labextension", "list",
                            cwd=binder_env.outside, timeout=120)
    listing = result.stdout + result.stderr
    line = next(
        (row for row in listing.splitlines() if "@jupyter-widgets/jupyterlab-manager" in row), ""
    )
    assert "enabled" in line and "OK" in line, f"widget manager missing or disabled:\n{listing}"


def test_repo2docker_caches_the_pinned_dependencies_before_the_course(tmp_path):
    """repo2docker's own build plan: the pins are installed before the repository is copied in."""
    repo = copy_repository(COURSE_ROOT, tmp_path / "repo")
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug",
         "--user-id", "1000", "--user-name", "jovyan", str(repo)],
        capture_output=True, text=True, timeout=300,
    )
    plan = result.stdout + result.stderr
    assert result.returncode == 0, plan[-3000:]
    lines = plan.splitlines()

    def first(fragment: str) -> int:
        found = [n for n, line in enumerate(lines) if fragment in line]
        assert found, f"{fragment!r} not in repo2docker's plan:\n{plan[-3000:]}"
        return found[0]

    pins_copied = first("COPY --chown=1000:1000 src/binder/requirements.txt")
    pins_installed = first('pip install --no-cache-dir -r "binder/requirements.txt"')
    course_copied = first("COPY --chown=1000:1000 src/ ${REPO_DIR}/")
    postbuild = first("RUN ./binder/postBuild")
    assert pins_copied < pins_installed < course_copied < postbuild
    assert "python=3.11" in plan
