"""``coopcourse class ...``: the instructor's grading commands (see docs/instructor-guide.md).

coopcourse class release   A       regenerate exercises/A and record A in the gradebook
coopcourse class collect   A FROM  copy submissions from a folder or LMS zip
coopcourse class autograde A       grade every submission in parallel, safely
coopcourse class feedback  A       write feedback/<student>/A/*.html
coopcourse class export    A       grades CSV, summary table and plot in export/
coopcourse class status    A       one line per student: status, score, problems
coopcourse class gradebook         all assignments weighted, final mark, Canvas/Moodle files
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from coopcourse.grading.settings import ConfigError, CourseSettings, load_settings


def _settings(args) -> CourseSettings:
    settings = load_settings(Path(args.course) if args.course else None)
    if getattr(args, "workers", None):
        settings = CourseSettings(**{**settings.__dict__, "workers": args.workers})
    if getattr(args, "no_sandbox", False):
        limits = replace(settings.limits, sandbox=False)
        settings = CourseSettings(**{**settings.__dict__, "limits": limits})
    return settings


def _source(settings: CourseSettings, assignment: str):
    from coopcourse.grading.pipeline.source import load_assignment

    return load_assignment(settings.source_dir, assignment, settings.release_dir)


def _students(settings: CourseSettings, args) -> list[str]:
    from coopcourse.grading.pipeline.runner import students_with_submissions

    return args.student or students_with_submissions(settings, args.assignment)


def _release(args) -> int:
    from coopcourse.grading.classroom.nbgrader_bridge import generate_assignment

    settings = _settings(args)
    generate_assignment(settings, args.assignment)
    print(f"released {args.assignment} to {settings.release_dir / args.assignment}")
    return 0


def _collect(args) -> int:
    from coopcourse.grading.classroom.collect import collect

    settings = _settings(args)
    report = collect(
        settings,
        args.assignment,
        Path(args.source),
        Path(args.roster) if args.roster else None,
        time_zone=settings.late.time_zone,
    )
    print("\n".join(report.lines()))
    return 1 if report.unmatched else 0


def _autograde(args) -> int:
    from coopcourse.grading.pipeline.runner import grade_class
    from coopcourse.grading.sandbox.bubblewrap import SandboxUnavailable, check_sandbox
    from coopcourse.grading.sandbox.landlock import abi_version

    settings = _settings(args)
    if settings.limits.sandbox:
        try:
            check_sandbox()
        except SandboxUnavailable as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    else:
        print(
            "warning: grading WITHOUT the sandbox (--no-sandbox or c.CourseGrader.sandbox = "
            "False): learner code runs as this user, can see other processes and the "
            "network; every result records it",
            file=sys.stderr,
        )
    if settings.limits.filesystem_sandbox and not abi_version():
        print(
            "warning: Linux Landlock is not available here, so learner code is not confined "
            "to its folder (see docs/instructor-guide.md)",
            file=sys.stderr,
        )
    run = grade_class(settings, args.assignment, args.student or None, force=args.force)
    print(f"{run.graded} graded, {run.reused} unchanged since the last run")
    _print_status(run.results)
    return 0


def _print_status(results) -> None:
    from coopcourse.grading.result import ERROR

    for result in results:
        # A failed grading has no marks (not zero).
        total = "-" if result.status == ERROR else f"{result.total:g}"
        line = f"{result.student:<20} {result.status:<10} {total}/{result.max_score:g}"
        print(line)
        for problem in result.problems:
            print(f"{'':<20}   - {problem}")


def _status(args) -> int:
    from coopcourse.grading.classroom.export import NOT_GRADED, standing
    from coopcourse.grading.pipeline.grade import Job, read_result
    from coopcourse.grading.sandbox.landlock import abi_version

    settings = _settings(args)
    source = _source(settings, args.assignment)  # a clear error if unknown
    results, outdated, missing = [], [], 0
    for student in _students(settings, args):
        result = read_result(settings, Job(student, args.assignment))
        status, why = standing(settings, source, student, result)
        if result is None:
            missing += 1
        elif status == NOT_GRADED:  # graded before the submission's latest change
            outdated.append((student, why))
        else:
            results.append(result)
    _print_status(results)
    for student, why in outdated:
        print(f"{student:<20} {'outdated':<10} {why}")
    if missing:
        print(f"{missing} submissions not graded yet")
    sandbox = abi_version()
    print(
        f"file-system sandbox (Landlock): {'ABI ' + str(sandbox) if sandbox else 'not available'}"
    )
    return 0


def _feedback(args) -> int:
    from coopcourse.grading.classroom.feedback import write_feedback

    settings = _settings(args)
    run = write_feedback(settings, _source(settings, args.assignment), _students(settings, args))
    print(f"wrote {len(run.written)} feedback files under {settings.root / settings.feedback}")
    for student, why in run.gaps.items():
        print(f"no feedback for {student}: {why}")
    # Not done while a submission still waits for grading.
    return 1 if run.gaps else 0


def _export(args) -> int:
    from coopcourse.grading.classroom.export import export_grades

    settings = _settings(args)
    roster = Path(args.roster) if args.roster else None
    source = _source(settings, args.assignment)
    result = export_grades(settings, source, _students(settings, args), roster)
    print(result.summary_text)
    print(f"\nwrote {result.grades_csv}, {result.summary_csv} and {result.plot_png}")
    for student, why in result.gaps.items():
        print(f"{student}: {why} (its marks are left blank)")
    return 1 if result.gaps else 0


def _gradebook(args) -> int:
    from coopcourse.grading.classroom.course_gradebook import WeightsError, course_gradebook
    from coopcourse.grading.classroom.lms import RosterError

    settings = _settings(args)
    try:
        book = course_gradebook(
            settings,
            Path(args.weights) if args.weights else None,
            Path(args.roster) if args.roster else None,
            args.lms,
        )
    except (WeightsError, RosterError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("\n".join(book.summary_lines()))
    for warning in book.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print("\nwrote " + ", ".join(str(path) for path in book.files))
    return 0


def _reporting_config_errors(handler):
    def run(args) -> int:
        from coopcourse.grading.pipeline.source import AssignmentError
        from coopcourse.grading.sandbox.workdir import RunFolderError

        try:
            return handler(args)
        except (ConfigError, AssignmentError, RunFolderError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        except ModuleNotFoundError as error:
            if not (error.name or "").startswith(("nbgrader", "tqdm")):
                raise
            print(
                "error: the grading commands need nbgrader: "
                "pip install 'coopcourse[instructor]' (in a checkout of the course: "
                "pip install -r requirements.txt)",
                file=sys.stderr,
            )
            return 2

    return run


def add_commands(subparsers) -> None:
    """Add ``class`` and its subcommands to the top-level ``coopcourse`` command."""
    course = subparsers.add_parser(
        "class",
        help="instructor grading: release, collect, autograde, feedback, export",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    steps = course.add_subparsers(dest="step", required=True)

    def step(name: str, handler, help_text: str):
        parser = steps.add_parser(name, help=help_text)
        parser.add_argument("assignment", help="assignment name, e.g. a3_union_objections")
        parser.add_argument(
            "--course", help="course folder (default: nearest with nbgrader_config.py)"
        )
        parser.set_defaults(handler=_reporting_config_errors(handler))
        return parser

    step(
        "release", _release, "regenerate exercises/ from solutions/ and record it in the gradebook"
    )
    collect = step("collect", _collect, "copy submissions from a folder or an LMS download zip")
    collect.add_argument("source", help="folder or .zip (Moodle, Canvas or one folder per student)")
    collect.add_argument("--roster", help="CSV with columns student_id, lms_id (and name)")
    grade = step("autograde", _autograde, "grade all submissions in parallel")
    grade.add_argument("--student", action="append", help="grade only this student (repeatable)")
    grade.add_argument("--force", action="store_true", help="grade again even if unchanged")
    grade.add_argument(
        "--workers", type=int, help="parallel workers (default: config or all cores)"
    )
    grade.add_argument(
        "--no-sandbox",
        action="store_true",
        help="grade without bubblewrap (not recommended; recorded in every result)",
    )
    for name, handler, text in (
        ("feedback", _feedback, "write HTML feedback without hidden tests"),
        ("export", _export, "write grades CSV, summary table and plot"),
        ("status", _status, "show each student's grading status"),
    ):
        parser = step(name, handler, text)
        parser.add_argument("--student", action="append", help="only this student (repeatable)")
        if name == "export":
            parser.add_argument(
                "--roster", help="CSV with student_id, lms_id: adds non-submitters and LMS ids"
            )
    book = steps.add_parser(
        "gradebook", help="all assignments, weighted, with a final mark and LMS import files"
    )
    book.add_argument("--course", help="course folder (default: nearest with nbgrader_config.py)")
    book.add_argument("--weights", help="CSV: assignment, weight (optional title, canvas_id)")
    book.add_argument(
        "--roster",
        help="course roster, Canvas gradebook export or Moodle participants CSV (LMS ids)",
    )
    book.add_argument(
        "--lms",
        choices=("canvas", "moodle"),
        help="write only this LMS's import file (default: the roster's LMS, else both)",
    )
    book.set_defaults(handler=_reporting_config_errors(_gradebook))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="coopcourse")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["class", *(argv if argv is not None else sys.argv[1:])])
    return args.handler(args)
