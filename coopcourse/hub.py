"""Links that open the course on a JupyterHub, through nbgitpuller.

A learner who clicks the link logs in to the hub; nbgitpuller then clones the
course repository into their home folder (or, on later clicks, merges in new
commits without overwriting their own edits) and opens lesson 0 in JupyterLab.
The hub's user image needs ``nbgitpuller`` and the course's requirements.

Command line: ``coopcourse hub-link --hub https://hub.example.edu`` (or
``python -m coopcourse.hub --hub ...``).
"""

from __future__ import annotations

import argparse
import posixpath
import sys
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

COURSE_REPOSITORY = "https://github.com/coopcourse/mutuals-course"
COURSE_BRANCH = "main"
FIRST_LESSON = "lessons/00_start_here.ipynb"


def repository_folder(repo_url: str) -> str:
    """The folder name a clone of ``repo_url`` gets: its last path part, without ``.git``."""
    path = urlsplit(repo_url).path or repo_url
    name = path.rstrip("/").rsplit("/", 1)[-1]
    name = name.removesuffix(".git")
    if not name or name in {".", ".."}:
        raise ValueError(f"cannot tell the repository's name from {repo_url!r}")
    return name


def hub_base(hub_url: str) -> str:
    """Normalise a hub address: scheme and host required, no trailing ``/`` or ``/hub``."""
    parts = urlsplit(hub_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(
            f"hub address must start with https:// (or http://) and name a host, not {hub_url!r}"
        )
    if parts.query or parts.fragment:
        raise ValueError(f"hub address must not carry a query or fragment: {hub_url!r}")
    path = parts.path.rstrip("/")
    path = path.removesuffix("/hub")  # people often paste https://hub.example.edu/hub/
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def nbgitpuller_link(
    hub_url: str,
    repo_url: str = COURSE_REPOSITORY,
    branch: str = COURSE_BRANCH,
    notebook: str = FIRST_LESSON,
    folder: str | None = None,
) -> str:
    """An nbgitpuller link that clones ``repo_url`` on the hub and opens ``notebook`` in JupyterLab.

    ``folder`` is where the clone goes in the learner's home folder (default:
    the repository's name); it is passed explicitly so the page opened after
    the pull is always inside the clone.
    """
    if not repo_url.strip():
        raise ValueError("repository URL is empty")
    if not branch.strip():
        raise ValueError("branch is empty")
    folder = folder or repository_folder(repo_url)
    if folder.startswith("/") or ".." in folder.split("/"):
        raise ValueError(f"folder must be a relative path inside the home folder, not {folder!r}")
    notebook = notebook.strip("/")
    urlpath = posixpath.join("lab", "tree", folder, notebook)
    query = urlencode(
        {"repo": repo_url, "urlpath": urlpath, "branch": branch, "targetpath": folder},
        quote_via=quote,
        safe="",
    )
    return f"{hub_base(hub_url)}/hub/user-redirect/git-pull?{query}"


def _hub_link(args) -> int:
    try:
        link = nbgitpuller_link(
            args.hub, repo_url=args.repo, branch=args.branch, notebook=args.notebook,
            folder=args.folder,
        )
    except ValueError as error:
        print(f"coopcourse hub-link: {error}", file=sys.stderr)
        return 2
    print(link)
    return 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", default=COURSE_REPOSITORY, help="course repository to clone")
    parser.add_argument("--branch", default=COURSE_BRANCH, help="branch to clone (default: main)")
    parser.add_argument("--notebook", default=FIRST_LESSON, help="notebook to open after the pull")
    parser.add_argument("--folder", help="folder for the clone (default: the repository's name)")
    parser.set_defaults(handler=_hub_link)


def add_commands(subparsers) -> None:
    """Add ``hub-link`` to the top-level ``coopcourse`` command."""
    parser = subparsers.add_parser(
        "hub-link", help="print an nbgitpuller link that opens the course on a JupyterHub"
    )
    add_arguments(parser)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coopcourse hub-link", description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
