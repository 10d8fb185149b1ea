"""The test run's grouping reaches pytest-xdist (see the course folder's conftest.py)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest


def test_each_test_runs_in_its_group(request):
    """Under --dist loadgroup every test id carries its group; if a pytest or xdist
    release stops passing the groups on, notebooks' cells would be spread over
    workers and fail with confusing NameErrors, so this says so plainly."""
    if not getattr(request.config.option, "loadgroup", False):  # set in xdist workers
        pytest.skip("tests run in one process (-n 0): no groups to keep")
    assert request.node.nodeid.endswith("@tests/test_parallel_groups.py"), (
        "pytest-xdist did not receive the test groups; check the pytest and "
        "pytest-xdist versions in requirements.txt"
    )


# Session fixtures that grade a whole class: every test file asking for one must be
# in its group, or a second worker grades the class again.
CLASS_FIXTURES = {"graded_class": "graded-class", "plain_nbgrader_class": "plain-nbgrader"}


def _requested_fixtures(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        argument.arg
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        for argument in node.args.args
    }


def test_tests_sharing_a_graded_class_share_its_group():
    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("course_conftest", root / "conftest.py")
    course_conftest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(course_conftest)
    groups = course_conftest.SHARED_FIXTURE_GROUPS
    misplaced = {}
    for path in sorted((root / "tests").rglob("test_*.py")):
        relative = path.relative_to(root).as_posix()
        for fixture in _requested_fixtures(path) & set(CLASS_FIXTURES):
            if groups.get(relative) != CLASS_FIXTURES[fixture]:
                misplaced[relative] = fixture
    assert not misplaced, (
        f"add these files to SHARED_FIXTURE_GROUPS in conftest.py (file: fixture): {misplaced}"
    )
