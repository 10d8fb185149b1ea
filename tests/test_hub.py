"""nbgitpuller links for running the course on a JupyterHub."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from coopcourse import hub


def _parts(link: str):
    split = urlsplit(link)
    return split, {key: values[0] for key, values in parse_qs(split.query).items()}


def test_default_link_opens_lesson_0_in_jupyterlab():
    link = hub.nbgitpuller_link("https://hub.example.edu")
    split, query = _parts(link)
    assert (split.scheme, split.netloc) == ("https", "hub.example.edu")
    assert split.path == "/hub/user-redirect/git-pull"
    assert query == {
        "repo": "https://github.com/coopcourse/mutuals-course",
        "branch": "main",
        "targetpath": "mutuals-course",
        "urlpath": "lab/tree/mutuals-course/lessons/00_start_here.ipynb",
    }


def test_query_values_are_fully_percent_encoded():
    link = hub.nbgitpuller_link("https://hub.example.edu", branch="feature/new lesson")
    query = urlsplit(link).query
    # Slashes, colons and spaces inside values are encoded, so the hub's own
    # redirect cannot split or truncate them.
    assert "repo=https%3A%2F%2Fgithub.com%2Fcoopcourse%2Fmutuals-course" in query
    assert "branch=feature%2Fnew%20lesson" in query
    assert "urlpath=lab%2Ftree%2Fmutuals-course%2Flessons%2F00_start_here.ipynb" in query
    assert " " not in link


@pytest.mark.parametrize(
    "given, base",
    [
        ("https://hub.example.edu/", "https://hub.example.edu"),
        ("https://hub.example.edu/hub/", "https://hub.example.edu"),
        ("https://example.edu/jupyter/hub", "https://example.edu/jupyter"),
        ("  http://localhost:8000 ", "http://localhost:8000"),
    ],
)
def test_hub_address_is_normalised(given, base):
    assert hub.nbgitpuller_link(given).startswith(f"{base}/hub/user-redirect/git-pull?")


@pytest.mark.parametrize(
    "bad", ["hub.example.edu", "ftp://hub.example.edu", "https://", "https://h.edu/?next=x"]
)
def test_bad_hub_address_is_refused_with_a_reason(bad):
    with pytest.raises(ValueError, match="hub address"):
        hub.nbgitpuller_link(bad)


def test_git_suffix_and_own_folder():
    split, query = _parts(
        hub.nbgitpuller_link(
            "https://hub.example.edu", repo_url="https://gitlab.example.edu/econ/course.git/"
        )
    )
    assert query["targetpath"] == "course"
    assert query["urlpath"] == "lab/tree/course/lessons/00_start_here.ipynb"
    _, query = _parts(
        hub.nbgitpuller_link("https://hub.example.edu", folder="term1/mutuals",
                             notebook="/lessons/03_union_objections.ipynb")
    )
    assert query["urlpath"] == "lab/tree/term1/mutuals/lessons/03_union_objections.ipynb"


@pytest.mark.parametrize("folder", ["/etc", "../outside", "a/../../b"])
def test_folder_must_stay_inside_the_home_folder(folder):
    with pytest.raises(ValueError, match="relative path"):
        hub.nbgitpuller_link("https://hub.example.edu", folder=folder)


def test_command_line_prints_the_link():
    result = subprocess.run(
        [sys.executable, "-m", "coopcourse.hub", "--hub", "https://hub.example.edu"],
        capture_output=True, text=True, check=True,
    )
    assert result.stdout.strip() == hub.nbgitpuller_link("https://hub.example.edu")


def test_command_line_reports_a_bad_address():
    result = subprocess.run(
        [sys.executable, "-m", "coopcourse.hub", "--hub", "hub.example.edu"],
        capture_output=True, text=True,
    )
    assert result.returncode == 2
    assert "https://" in result.stderr and not result.stdout


def test_subcommand_hook_adds_hub_link():
    import argparse

    parser = argparse.ArgumentParser()
    hub.add_commands(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["hub-link", "--hub", "https://hub.example.edu", "--branch", "v1"])
    assert args.branch == "v1" and args.handler is not None
