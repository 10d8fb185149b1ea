"""Packaging facts that Binder and a non-editable install depend on."""

from __future__ import annotations

import re
import tomllib

from tests.lesson_files import COURSE_ROOT


def pyproject() -> dict:
    return tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


BINDER = COURSE_ROOT / "binder"
# Tools for instructors, tests and CI; learners on Binder must not get them.
NOT_FOR_LEARNERS = ("nbgrader", "pytest", "nbval", "playwright", "ruff")


def test_runtime_txt_agrees_with_requires_python():
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"runtime.txt must read like python-3.11, not {runtime!r}"
    version = f"{match.group(1)}.{match.group(2)}"
    requires = pyproject()["project"]["requires-python"]
    assert f">={version}" in requires and f"<{match.group(1)}.{int(match.group(2)) + 1}" in requires


def test_every_subpackage_is_declared():
    declared = set(pyproject()["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(COURSE_ROOT).parts)
        for init in (COURSE_ROOT / "coopcourse").rglob("__init__.py")
    }
    assert found <= declared, f"add to pyproject.toml packages: {sorted(found - declared)}"


def test_requirements_install_the_package_itself():
    lines = (COURSE_ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ." in [line.strip() for line in lines]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, separator, version = line.partition("==")
            assert separator, f"binder/requirements.txt must pin every line exactly: {line!r}"
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_binder_pins_every_lesson_dependency_within_its_range():
    from packaging.requirements import Requirement

    pins = _pins()
    for text in pyproject()["project"]["dependencies"]:
        requirement = Requirement(text)
        name = requirement.name.lower().replace("_", "-")
        assert name in pins, f"binder/requirements.txt does not pin {name}"
        assert pins[name] in requirement.specifier, f"{name}=={pins[name]} is outside {text}"


def test_binder_installs_no_instructor_or_test_tools_and_no_local_path():
    pins = _pins()
    assert not [name for name in pins if name.startswith(NOT_FOR_LEARNERS)]
    # A local reference (-e ., a path) would stop repo2docker caching the layer.
    text = (BINDER / "requirements.txt").read_text(encoding="utf-8")
    assert not [line for line in text.splitlines() if line.strip().startswith(("-e", ".", "/"))]


def test_binder_postbuild_installs_the_package_without_dependencies():
    script = BINDER / "postBuild"
    assert script.stat().st_mode & 0o111
    assert "pip install --no-cache-dir --no-deps ." in script.read_text(encoding="utf-8")


def test_binder_reads_its_own_folder_only():
    # With binder/ present repo2docker ignores these at the top level; keep none to mislead.
    assert not (COURSE_ROOT / ".binder").exists()
    for name in ("runtime.txt", "postBuild", "environment.yml"):
        assert not (COURSE_ROOT / name).exists(), f"{name} at the top level is ignored by Binder"
