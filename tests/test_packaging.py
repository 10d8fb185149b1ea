"""Packaging facts that Binder and a non-editable install depend on."""

from __future__ import annotations

import re
import tomllib

from tests.lesson_files import COURSE_ROOT


def pyproject() -> dict:
    return tomllib.loads((COURSE_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_runtime_txt_agrees_with_requires_python():
    runtime = (COURSE_ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
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


def test_no_binder_folder_so_root_files_count():
    assert not (COURSE_ROOT / "binder").exists()
    assert not (COURSE_ROOT / ".binder").exists()


def test_course_command_offers_every_subcommand():
    from coopcourse.cli import build_parser

    commands = build_parser()._subparsers._group_actions[0].choices
    assert {"execute-lessons", "progress", "class", "hub-link"} <= set(commands)
