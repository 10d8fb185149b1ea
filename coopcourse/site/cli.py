"""``coopcourse site build``: the course as a static website."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def _build(args) -> int:
    from coopcourse.site import SiteBuildError, build_site

    started = time.monotonic()
    try:
        index = build_site(args.out, hub_url=args.hub)
    except SiteBuildError as error:
        print(f"coopcourse site build: {error}", file=sys.stderr)
        return 1
    print(f"Built the course website in {time.monotonic() - started:.0f} s: {index}")
    print(f"Preview it with: python -m http.server --directory {Path(args.out)} 8000")
    return 0


def add_commands(subparsers) -> None:
    """Add ``site build`` to the top-level ``coopcourse`` command."""
    site = subparsers.add_parser("site", help="build the course as a static website")
    actions = site.add_subparsers(dest="site_command", required=True)
    build = actions.add_parser(
        "build",
        help="build the website from the executed lessons (no network, nothing run)",
    )
    build.add_argument(
        "--out", default=str(Path("_build") / "site"), help="output folder (default: _build/site)"
    )
    build.add_argument(
        "--hub",
        default=os.environ.get("COOPCOURSE_HUB_URL") or None,
        help="a JupyterHub address: the model pictures then link to the hub-link for it "
        "(default: $COOPCOURSE_HUB_URL, else no hub link)",
    )
    build.set_defaults(handler=_build)
