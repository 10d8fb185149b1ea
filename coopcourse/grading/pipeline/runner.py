"""Grade a whole class in parallel, one submission per worker process at a time.

Workers execute and score submissions in their own scratch folders and fresh
kernels; only this (parent) process writes the gradebook, one result at a time.
Results already on disk for an unchanged submission are reused, so a run that
was killed resumes where it stopped and a second run changes nothing. A worker
that raises or dies leaves an error result on disk too (for status, feedback
and export), which the next run grades again.
"""

from __future__ import annotations

import concurrent.futures as futures
import multiprocessing
import sys
import time
from dataclasses import dataclass

from tqdm import tqdm

from coopcourse.grading.classroom.gradebook import open_gradebook, record_result
from coopcourse.grading.classroom.late import read_timestamp_file
from coopcourse.grading.classroom.nbgrader_bridge import sync_gradebook
from coopcourse.grading.pipeline.grade import (
    GRADER_ERROR,
    Job,
    blank_result,
    grade_job,
    is_current,
    no_marks,
    read_result,
    write_result,
)
from coopcourse.grading.pipeline.reference import reference_values
from coopcourse.grading.pipeline.source import AssignmentSource, load_assignment
from coopcourse.grading.result import ERROR, GradingResult
from coopcourse.grading.sandbox.kernel import finish_teardowns
from coopcourse.grading.sandbox.workdir import (
    remove_run_folder,
    remove_stale_run_folders,
    run_folder,
)
from coopcourse.grading.settings import CourseSettings

_worker_state: dict = {}

# done/total, how many results need an instructor's look, and the time left.
PROGRESS_FORMAT = "{desc} [{bar:24}] {n_fmt}/{total_fmt} done{postfix}, {remaining} left"


def _start_worker(settings: CourseSettings, source: AssignmentSource, expected: dict) -> None:
    run_folder()  # hold the run's folder while this worker lives, even if the parent dies
    _worker_state.update(settings=settings, source=source, expected=expected)


def _grade_in_worker(job: Job) -> GradingResult:
    return grade_job(
        _worker_state["settings"], _worker_state["source"], _worker_state["expected"], job
    )


def students_with_submissions(settings: CourseSettings, assignment: str) -> list[str]:
    submitted = settings.root / settings.submitted
    if not submitted.is_dir():
        return []
    return sorted(
        folder.name
        for folder in submitted.iterdir()
        if folder.is_dir() and not folder.name.startswith(".") and (folder / assignment).is_dir()
    )


@dataclass
class ClassRun:
    assignment: str
    results: list[GradingResult]
    graded: int
    reused: int


def _crash_result(
    settings: CourseSettings, job: Job, source: AssignmentSource, error: BaseException
) -> GradingResult:
    """An error result for a job whose worker raised or died, stored where grade_job
    stores results, so status, feedback and export see it.

    Its fingerprint stays empty: it matches no submission, so the next run grades
    it again however many attempts it took. A crash of the grader is no mark: no
    cell has a score, and the gradebook keeps no automatic score for it (see
    ``record_result``).
    """
    result = blank_result(source, job)
    no_marks(result)
    result.solution_ids = []
    submitted = settings.folder("submitted", job.student, job.assignment)
    result.timestamp = read_timestamp_file(submitted)
    result.sandboxed = settings.limits.sandbox
    result.problems = [
        f"the grading process failed on this submission ({type(error).__name__}: {error}); "
        "it will be graded again on the next run"
    ]
    result.learner_problems = [GRADER_ERROR]  # as for any grader error
    try:
        write_result(settings, job, result)
    except OSError as error:  # reported with this student's result; the class goes on
        result.problems.append(f"this error result could not be stored either ({error})")
    return result


def grade_class(
    settings: CourseSettings,
    assignment: str,
    students: list[str] | None = None,
    *,
    force: bool = False,
    show_progress: bool = True,
    stream=None,
) -> ClassRun:
    remove_stale_run_folders()
    source = load_assignment(settings.source_dir, assignment, settings.release_dir)
    sync_gradebook(settings, assignment)
    expected = reference_values(settings, source)
    chosen = students if students is not None else students_with_submissions(settings, assignment)
    jobs = [Job(student, assignment) for student in chosen]
    todo, results = [], {}
    for job in jobs:
        previous = read_result(settings, job)
        folder = settings.folder("submitted", job.student, assignment)
        unchanged = not force and previous is not None and is_current(previous, folder, source)
        attempts = previous.attempts if unchanged else 0
        if unchanged and previous.status != ERROR:  # an error result is graded again
            results[job.student] = previous
        else:
            todo.append(Job(job.student, assignment, attempt=attempts + 1))

    started = time.monotonic()
    progress = tqdm(
        total=len(todo),
        desc=f"grading {assignment}",
        file=stream if stream is not None else sys.stderr,
        disable=not show_progress,
        bar_format=PROGRESS_FORMAT,
    )
    troubled = 0
    with progress, open_gradebook(settings) as gradebook:
        progress.set_postfix_str("0 with problems", refresh=False)
        for result in results.values():  # finish the gradebook of an interrupted run
            record_result(gradebook, source.notebook_name, result)
        for result in _run_jobs(settings, source, expected, todo):
            record_result(gradebook, source.notebook_name, result)
            results[result.student] = result
            troubled += result.troubled
            progress.set_postfix_str(f"{troubled} with problems", refresh=False)
            progress.update()
    if show_progress:
        took = time.monotonic() - started
        print(f"grading {assignment}: {len(todo)} submissions in {took:.1f} s", file=progress.fp)
    finish_teardowns()  # the reference run's kernel, stopped in the background
    remove_run_folder()
    ordered = [results[job.student] for job in jobs]
    return ClassRun(assignment, ordered, graded=len(todo), reused=len(jobs) - len(todo))


def _run_jobs(settings: CourseSettings, source: AssignmentSource, expected: dict, jobs: list[Job]):
    """Yield results as workers finish.

    If a worker process dies (e.g. killed by the system), every unfinished job of
    that pool fails with it; those are graded again one per pool, so only the
    submission that really kills its worker ends with an error record.
    """
    workers = max(1, min(settings.worker_count, len(jobs)))
    suspects = yield from _run_pool(settings, source, expected, jobs, workers)
    for job in suspects:
        for lost in (yield from _run_pool(settings, source, expected, [job], 1)):
            yield _crash_result(settings, lost, source, RuntimeError("the grading process died"))


def _run_pool(settings, source, expected, jobs: list[Job], workers: int):
    """Run ``jobs`` in one process pool; yield results; return the jobs lost to a broken pool."""
    lost: list[Job] = []
    if not jobs:
        return lost
    run_folder()  # locked before the fork: workers hold it from their first instant
    context = multiprocessing.get_context("fork")
    with futures.ProcessPoolExecutor(
        workers,
        mp_context=context,
        initializer=_start_worker,
        initargs=(settings, source, expected),
    ) as pool:
        submitted = {pool.submit(_grade_in_worker, job): job for job in jobs}
        for future in futures.as_completed(submitted):
            job = submitted[future]
            try:
                yield future.result()
            except futures.process.BrokenProcessPool:
                lost.append(job)
            except Exception as error:  # noqa: BLE001 - one submission, not the class
                yield _crash_result(settings, job, source, error)
    return lost
