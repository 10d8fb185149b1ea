"""Grade one submission end to end (runs in a worker process).

Reads the submission (never modifying it), assembles it with the trusted source,
runs it in a fresh limited kernel, scores the exported values against the
reference values, and writes the autograded notebook and a result record into
``autograded/<student>/<assignment>/``. Any failure becomes a clear message in
the result; one bad submission never stops the class.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from coopcourse.grading.classroom.late import read_timestamp_file
from coopcourse.grading.nbgrader_cells import (
    NOTES_MARK,
    grade_id,
    has_hidden_tests,
    is_test_cell,
)
from coopcourse.grading.pipeline.assemble import assemble
from coopcourse.grading.pipeline.intake import SubmissionUnreadable, read_submission
from coopcourse.grading.pipeline.reference import run_assembled
from coopcourse.grading.pipeline.scoring import cell_scores, score_checks
from coopcourse.grading.pipeline.source import AssignmentSource, package_fingerprint
from coopcourse.grading.result import ERROR, UNREADABLE, GradingResult, ScoredCheck
from coopcourse.grading.sandbox.execute import Execution
from coopcourse.grading.sandbox.kernel import ENDED_EARLY
from coopcourse.grading.settings import CourseSettings

RESULT_NAME = ".coopcourse-result.json"
GRADER_VERSION = "2"


@dataclass(frozen=True)
class Job:
    student: str
    assignment: str
    attempt: int = 1  # a result that is not the submission's doing is graded once more


# A kernel killed from outside may be the machine's doing (graded again) or the
# submission's own (SIGKILL to itself looks the same): after this many attempts the
# result stands, so marks cannot change from run to run by chance.
MAX_ATTEMPTS = 2


# Files larger than this (more than collecting accepts) are fingerprinted by size and
# modification time, not content, so one huge or sparse file cannot stall every command.
CONTENT_HASH_LIMIT = 100 * 2**20


def _file_digest(path: Path) -> bytes:
    """A regular file's content hash, read in chunks; anything else by what it is."""
    info = path.lstat()
    if not stat.S_ISREG(info.st_mode):  # a symlink, FIFO, device: never opened
        target = os.readlink(path) if stat.S_ISLNK(info.st_mode) else ""
        return f"{stat.S_IFMT(info.st_mode)}:{target}".encode()
    if info.st_size > CONTENT_HASH_LIMIT:
        return f"large:{info.st_size}:{info.st_mtime_ns}".encode()
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def submission_fingerprint(folder: Path, source: AssignmentSource) -> str:
    # Results are redone when the submission, the source or the grading code change.
    digest = hashlib.sha256(f"{GRADER_VERSION}:{source.sha256}:{package_fingerprint()}".encode())
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if not path.is_dir() or path.is_symlink():
                digest.update(os.fsencode(path.relative_to(folder)))
                digest.update(_file_digest(path))
    return digest.hexdigest()


def is_current(result: GradingResult, folder: Path, source: AssignmentSource) -> bool:
    """Whether ``result`` was made from the submission in ``folder`` as it is now (and
    the same source and grader): autograde grades again what is not current, and
    feedback and export treat it as not graded. A submission whose fingerprint cannot
    be taken (a file that cannot be read) is never current: it is graded again, and
    its grading says what went wrong."""
    try:
        return result.fingerprint == submission_fingerprint(folder, source)
    except Exception:  # noqa: BLE001 - whatever the files are, one student must not stop the class
        return False


def result_path(settings: CourseSettings, job: Job) -> Path:
    return settings.folder("autograded", job.student, job.assignment) / RESULT_NAME


def read_result(settings: CourseSettings, job: Job) -> GradingResult | None:
    return GradingResult.read(result_path(settings, job))


def write_result(settings: CourseSettings, job: Job, result: GradingResult) -> None:
    """Store a job's result where status, feedback, export and the next run read it."""
    path = result_path(settings, job)
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(path, result.to_json())


def blank_result(source: AssignmentSource, job: Job) -> GradingResult:
    """A result before grading: tests score 0, hand-marked cells wait for a grader."""
    return GradingResult(
        student=job.student,
        assignment=job.assignment,
        attempts=job.attempt,
        scores={
            cell.grade_id: (0.0 if cell.kind == "test" else None)
            for cell in source.cells
            if cell.kind in ("test", "manual")
        },
        max_score=source.max_score,
        solution_ids=[cell.grade_id for cell in source.cells if cell.kind in ("answer", "manual")],
    )


def no_marks(result: GradingResult) -> None:
    """Make ``result`` a failure of the grader (status ERROR): no score for any cell,
    hand-marked ones included. Such a result is no mark anywhere: it is not written
    into the gradebook, feedback and export treat it as not graded, and the next
    autograde grades the submission again."""
    result.status = ERROR
    result.scores = dict.fromkeys(result.scores)


def _cell_label(notebook, index: int) -> str:
    if grade_id(notebook.cells[index]):
        return f"cell {grade_id(notebook.cells[index])}"
    previous = [grade_id(c) for c in notebook.cells[:index] if grade_id(c)]
    return f"your cell after {previous[-1]}" if previous else "your first cells"


def _names_an_absolute_path(run) -> bool:
    """Whether a FileNotFoundError named an absolute path (the message itself is never shown)."""
    return any(
        output.get("output_type") == "error" and ": '/" in str(output.get("evalue", ""))
        for output in run.outputs
    )


def execution_problem_items(
    notebook, execution: Execution, settings: CourseSettings
) -> list[tuple[int | None, str]]:
    """Each problem of the run with the index of the cell it is about (None: the whole run)."""
    limits = settings.limits
    problems: list[tuple[int | None, str]] = []
    tampered = {index for index, _ in execution.tampering}
    for index, run in execution.cell_runs.items():
        label = _cell_label(notebook, index)
        if run.status == "died" and index in tampered:
            continue  # the sentry ended the kernel; the integrity problem below says why
        if run.status == "timeout":
            problems.append(
                (index, f"{label} was stopped after {limits.cell_timeout:g} s (an endless loop?)")
            )
        elif run.status == "flood":
            problems.append(
                (
                    index,
                    f"{label} flooded the grader with messages it did not ask for; the kernel "
                    "was stopped and later cells were not run",
                )
            )
        elif run.status == "output-limit":
            problems.append(
                (
                    index,
                    f"{label} printed more than {limits.output_limit_kb} KB; the rest was cut off",
                )
            )
        elif run.status == "died":
            problems.append(
                (
                    index,
                    f"the notebook's kernel stopped in {label} (a crash, os._exit, or the CPU "
                    f"limit of {limits.cpu_seconds} s or memory limit of {limits.memory_mb} MB); "
                    "later cells were not run",
                )
            )
        elif run.error_name == "MemoryError":
            problems.append((index, f"{label} ran out of memory (limit {limits.memory_mb} MB)"))
        elif run.error_name == "SystemExit":
            problems.append((index, f"{label} called sys.exit(); the notebook went on"))
        elif run.error_name == "FileNotFoundError" and _names_an_absolute_path(run):
            problems.append(
                (
                    index,
                    f"{label} tried to use files outside its own folder (they do not exist in the "
                    "sandbox)",
                )
            )
        elif run.error_name == "PermissionError":
            problems.append(
                (
                    index,
                    f"{label} tried to use files outside its own folder or the network (blocked)",
                )
            )
    for index, what in execution.tampering:
        problems.append(
            (
                index,
                f"integrity: {_cell_label(notebook, index)}: {what}; the tests from there on "
                "score nothing",
            )
        )
    for index in execution.unreported:
        problems.append(
            (index, f"{_cell_label(notebook, index)} did not run (the notebook stopped it)")
        )
    if execution.out_of_time is not None:
        problems.append(
            (
                execution.out_of_time,
                f"the notebook used up its time budget of {limits.submission_seconds:g} s; it "
                f"was stopped at {_cell_label(notebook, execution.out_of_time)} and graded on "
                "what had run",
            )
        )
    if not execution.sandboxed:
        problems.append((None, "graded without the sandbox (--no-sandbox)"))
    return problems


GRADER_ERROR = "the grader could not grade this submission; your instructor can see why"

AFTER_HIDDEN_TESTS = (
    "some cells at or after the first hidden test had problems; your instructor can "
    "see them"
)


def hidden_inputs_seen_from(cells) -> int:
    """The index of the first cell holding hidden tests (``len(cells)`` if none).

    From that cell on, learner code may have seen and stashed a hidden test's
    inputs, and whatever it does there can spell them out: which cells have
    problems and how, which exception a check raises, where a checked value
    differs. So for cells from this index on the learner sees only one fixed
    sentence for their problems (:func:`learner_problems`) and only passed / not
    passed for their checks (the feedback page); the instructor sees everything.
    Both cuts are made here, on the assembled notebook or the source (their graded
    cells are in the same order).
    """
    return next(
        (index for index, cell in enumerate(cells) if has_hidden_tests(cell)), len(cells)
    )


def learner_problems(earlier: list[str], items, notebook) -> list[str]:
    """The problems a learner's feedback may show.

    ``earlier`` are the problems found before the run (reading and assembling the
    submission); ``items`` are the run's, as (cell index or None, text). Problems
    of cells from the first hidden test on (see :func:`hidden_inputs_seen_from`)
    are summed up in one fixed sentence; the instructor's summary and export keep
    them all. The split is by cell, not by wording, so an early problem is never
    hidden because a late one reads the same.
    """
    cut = hidden_inputs_seen_from(notebook.cells)
    shown, any_late = list(earlier), False
    for index, text in items:
        if index is not None and index >= cut:
            any_late = True
        else:
            shown.append(text)
    return [*shown, AFTER_HIDDEN_TESTS] if any_late else shown


def _summary_output(results: list[ScoredCheck], run_status: str | None):
    lines = [("✔ " if r.passed else "✘ ") + f"{r.check_id}: {r.message}" for r in results]
    if not results:
        lines.append("✘ this test cell has no check() calls, so it cannot earn points")
    if run_status in ENDED_EARLY:
        lines.append(f"(the test cell ended with: {run_status})")
    if results and all(r.passed for r in results):
        return nbformat.v4.new_output("stream", name="stdout", text="\n".join(lines) + "\n")
    return nbformat.v4.new_output(
        "error",
        ename="ChecksFailed",
        evalue=f"{sum(not r.passed for r in results)} check(s) failed",
        traceback=lines,
    )


def grade_job(
    settings: CourseSettings, source: AssignmentSource, expected: dict, job: Job
) -> GradingResult:
    """Grade one learner's submission, write the autograded notebook and the result."""
    started = time.monotonic()
    folder = settings.folder("submitted", job.student, job.assignment)
    result = blank_result(source, job)
    result.timestamp = read_timestamp_file(folder)
    result.sandboxed = settings.limits.sandbox
    output_dir = settings.folder("autograded", job.student, job.assignment)
    items = None
    try:
        result.fingerprint = submission_fingerprint(folder, source)
        submitted = read_submission(folder, source.notebook_name)
        result.problems.extend(submitted.problems)
        assembly = assemble(source, submitted.notebook)
        result.problems.extend(assembly.problems)
        result.no_response = assembly.no_response
        execution = run_assembled(settings, source, assembly.notebook)
        result.checks = score_checks(source, execution, expected)
        result.scores = cell_scores(source, result.checks)
        items = execution_problem_items(assembly.notebook, execution, settings)
        # Taken before the instructor-only sentences below are added.
        result.learner_problems = learner_problems(result.problems, items, assembly.notebook)
        result.problems.extend(text for _, text in items)
        result.tampering = [what for _, what in execution.tampering]
        if execution.killed_from_outside and job.attempt < MAX_ATTEMPTS:
            # Perhaps not the submission's doing: no marks now, graded once more next run.
            no_marks(result)
            result.problems.append(
                "the grading kernel was killed by a signal the grader did not send; "
                "it will be graded once more on the next run"
            )
        elif execution.killed_from_outside:
            # The same again: the result stands as graded, so marks cannot change by chance.
            result.problems.append(
                "the grading kernel was killed by a signal the grader did not send; "
                f"after {job.attempt} attempts this result stands "
                "(use --force to grade it again)"
            )
        for index, cell in enumerate(assembly.notebook.cells):
            if is_test_cell(cell):
                own = [r for r in result.checks if r.grade_id == grade_id(cell)]
                run = execution.cell_runs.get(index)
                cell.outputs = [_summary_output(own, run.status if run else "died")]
        if result.problems:
            assembly.notebook.cells.insert(0, notes_cell(result.problems))
        output_dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(
            output_dir / f"{source.notebook_name}.ipynb", nbformat.writes(assembly.notebook)
        )
    except SubmissionUnreadable as error:
        result.status = UNREADABLE
        result.problems.append(str(error))
        result.learner_problems = list(result.problems)
        # Nothing to grade by hand either: every cell scores zero, as nbgrader does.
        result.scores = {cell_id: 0.0 for cell_id in result.scores}
    except Exception as error:  # noqa: BLE001 - one broken submission must not stop the class
        no_marks(result)
        result.fingerprint = ""  # the grader's fault: graded again on every run until it works
        result.problems.append(
            f"the grader could not grade this submission ({type(error).__name__}: {error})"
        )
        # The error's text may name the instructor's files: the learner gets a fixed sentence.
        if items is None:  # only the submission's and assembly's problems so far
            result.learner_problems = [*result.problems[:-1], GRADER_ERROR]
        else:  # the run's learner problems are already set
            result.learner_problems = [*result.learner_problems, GRADER_ERROR]
    result.seconds = round(time.monotonic() - started, 2)
    write_result(settings, job, result)
    return result


def notes_cell(problems: list[str]):
    text = "**Grading notes**\n\n" + "\n".join(f"- {problem}" for problem in problems)
    return nbformat.v4.new_markdown_cell(text, metadata={NOTES_MARK: True})


def _write_atomic(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all, through a temporary file of this writer's own
    in the same folder (two writers never share one), readable as the umask allows."""
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(descriptor, 0o666 & ~_umask())
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """This process's umask, read without changing it (other threads may create files)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022
