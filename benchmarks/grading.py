"""Benchmark: plain ``nbgrader autograde`` against ``coopcourse class autograde``.

Builds a synthetic class (default 60 submissions of the sample assignment: right,
wrong, partial, untouched and a few bad ones), grades the same submissions with
both tools in two copies of the course, and prints seconds per submission and
the throughput ratio. Run from anywhere:

    python benchmarks/grading.py [--students 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coopcourse.grading import sample_course as sample

BIN = Path(sys.executable).parent
MIXES = [sample.RIGHT, sample.WRONG, sample.PARTIAL, {}]


def build_class(root: Path, students: int) -> None:
    sample.make_course(root, cell_timeout=30, cpu_seconds=120)
    for number in range(students):
        student = f"s{number:03d}"
        if number % 20 == 7:
            sample.write_submission(root, student, b"{ not json")
        elif number % 20 == 13:
            notebook = sample.student_notebook(root, sample.RIGHT)
            sample.write_submission(root, student, notebook, name="Copy of fx_demo.ipynb")
        else:
            sample.write_submission(
                root, student, sample.student_notebook(root, MIXES[number % len(MIXES)])
            )


def timed(command: list[str], cwd: Path) -> float:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if completed.returncode not in (0, 1):
        sys.stderr.write(completed.stdout[-2000:] + completed.stderr[-4000:])
        raise SystemExit(f"{command[0]} failed with exit code {completed.returncode}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="coopcourse-bench-") as scratch:
        plain, course = Path(scratch) / "plain", Path(scratch) / "course"
        build_class(plain, args.students)
        # nbgrader needs the assignment in its gradebook: not part of the timing.
        timed([str(BIN / "nbgrader"), "generate_assignment", sample.ASSIGNMENT, "--force"], plain)
        shutil.copytree(plain, course)
        plain_seconds = timed([str(BIN / "nbgrader"), "autograde", sample.ASSIGNMENT], plain)
        course_seconds = timed(
            [str(BIN / "coopcourse"), "class", "autograde", sample.ASSIGNMENT], course
        )
    per_plain = plain_seconds / args.students
    per_course = course_seconds / args.students
    print(f"submissions:                   {args.students} (cores: {os.cpu_count()})")
    print(f"nbgrader autograde:            {plain_seconds:7.1f} s  {per_plain:.3f} s/submission")
    print(f"coopcourse class autograde:    {course_seconds:7.1f} s  {per_course:.3f} s/submission")
    print(f"throughput ratio (course/plain): {per_plain / per_course:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
