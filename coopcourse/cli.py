"""The ``coopcourse`` command: one entry point for course maintenance and grading."""

from __future__ import annotations

import argparse
import importlib.util
import sys

import coopcourse.startup  # noqa: F401 - applies the start-up settings on import
from coopcourse.hub import add_commands as add_hub_commands
from coopcourse.site.cli import add_commands as add_site_commands


def _execute_lessons(args) -> int:
    from coopcourse.notebooks import execute_lessons

    execute_lessons(args.notebooks)
    return 0


def _progress(args) -> int:
    from coopcourse.quiz.progress import (
        keep_progress,
        progress_file,
        progress_table,
        restore_progress,
    )

    if args.keep:
        print(keep_progress(args.keep))
        return 0
    if args.restore:
        try:
            print(restore_progress(args.restore))
        except (OSError, ValueError) as error:
            print(f"coopcourse progress: {error}", file=sys.stderr)
            return 1
    print(progress_table())
    print(f"\n(results are kept in {progress_file()})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coopcourse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("execute-lessons", help="re-run lesson notebooks and save outputs")
    run.add_argument("notebooks", nargs="*", help="notebooks to run (default: all lessons)")
    run.set_defaults(handler=_execute_lessons)

    progress = commands.add_parser("progress", help="show your quiz progress across lessons")
    progress.add_argument("--keep", metavar="FILE",
                          help="copy your results to FILE, to download and keep")
    progress.add_argument("--restore", metavar="FILE",
                          help="merge results from a kept FILE into this machine's")
    progress.set_defaults(handler=_progress)

    _add_grading_commands(commands)
    add_hub_commands(commands)
    add_site_commands(commands)
    return parser


def _add_grading_commands(commands) -> None:
    """Grading commands live in coopcourse.grading; add them if it provides a hook."""
    if importlib.util.find_spec("coopcourse.grading.cli") is None:
        return
    from coopcourse.grading.cli import add_commands

    add_commands(commands)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
