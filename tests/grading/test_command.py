"""The course command end to end: no activated venv, killed mid-run, resumed, formgrader's view."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.classroom.gradebook import gradebook_snapshot
from coopcourse.grading.classroom.nbgrader_bridge import nbgrader_api
from coopcourse.grading.settings import load_settings

pytestmark = pytest.mark.slow

COMMAND = str(Path(sys.executable).parent / "coopcourse")
# One learner per kind of answer. With one worker they are graded one at a time, so
# a run killed after the first two results still has two left to resume.
ANSWERS = [sample.RIGHT, sample.WRONG, sample.PARTIAL, {}]


def _course(root: Path) -> Path:
    sample.make_course(root, cell_timeout=10, workers=1)
    for number, answers in enumerate(ANSWERS):
        sample.write_submission(root, f"s{number}", sample.student_notebook(root, answers))
    return root


def _run(root: Path, *args: str, **kwargs) -> subprocess.Popen:
    # A bare PATH, as from cron or an IDE: the venv's bin folder (with alembic) is not on it.
    env = {key: value for key, value in os.environ.items() if not key.startswith("VIRTUAL_ENV")}
    env["PATH"] = "/usr/bin:/bin"
    return subprocess.Popen(
        [COMMAND, "class", *args],
        cwd=root,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **kwargs,
    )


def test_killed_run_resumes_to_the_same_gradebook(tmp_path):
    root = _course(tmp_path / "course")
    process = _run(root, "autograde", "fx_demo")
    results = root / "autograded"
    deadline = time.monotonic() + 120
    while len(list(results.glob("s*/fx_demo/.coopcourse-result.json"))) < 2:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "grading did not start"
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)  # the whole run, workers included
    process.wait()
    done_before = len(list(results.glob("s*/fx_demo/.coopcourse-result.json")))
    assert done_before < len(ANSWERS), "killed too late to test resuming"

    # The killed run's scratch folder (named after its process and a random part)...
    (left_behind,) = Path(tempfile.gettempdir()).glob(f"coopcourse-run-{process.pid}-*")
    assert left_behind.is_dir()
    resumed = _run(root, "autograde", "fx_demo")
    out, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert not left_behind.exists()  # ...is cleaned up by the next run
    assert "unchanged since the last run" in out
    settings = load_settings(root)
    after_resume = gradebook_snapshot(settings, "fx_demo")

    full = _run(root, "autograde", "fx_demo", "--force")
    out, err = full.communicate(timeout=300)
    assert full.returncode == 0, err
    assert f"{len(ANSWERS)} graded, 0 unchanged" in out
    assert gradebook_snapshot(settings, "fx_demo") == after_resume
    totals = {line.split()[0]: line.split()[2] for line in out.splitlines() if line.startswith("s")}
    assert totals == {"s0": "5/7", "s1": "1/7", "s2": "4/7", "s3": "0/7"}

    # Formgrader reads the same gradebook and finds the autograded copies.
    api = nbgrader_api(settings)
    submissions = {item["student"]: item for item in api.get_submissions("fx_demo")}
    assert set(submissions) == {f"s{n}" for n in range(len(ANSWERS))}
    assert submissions["s0"]["autograded"] is True and submissions["s0"]["score"] == 5.0
    assert submissions["s0"]["needs_manual_grade"] is True  # the written answer
    notebooks = api.get_notebook_submissions("fx_demo", "fx_demo")
    assert len(notebooks) == len(ANSWERS)


def test_every_step_of_the_course_command(tmp_path):
    root = _course(tmp_path / "course")
    outputs = {}
    for step in ("autograde", "feedback", "export", "status"):
        process = _run(root, step, "fx_demo")
        outputs[step] = process.communicate(timeout=300)
        assert process.returncode == 0, (step, outputs[step][1])
    progress = outputs["autograde"][1]
    assert f"{len(ANSWERS)}/{len(ANSWERS)} done, 0 with problems, 00:00 left" in progress
    assert "mean total" in outputs["export"][0]
    assert "s2                   graded     4/7" in outputs["status"][0]
    assert "file-system sandbox (Landlock):" in outputs["status"][0]
    assert (root / "export" / "fx_demo_grades.csv").exists()
    assert (root / "export" / "fx_demo_summary.png").exists()
    assert (root / "feedback" / "s0" / "fx_demo" / "fx_demo.html").exists()


def test_an_unknown_assignment_is_one_line_naming_the_known_ones(tmp_path, capsys):
    from coopcourse.grading.cli import main

    sample.make_course(tmp_path)
    for step in ("autograde", "export", "feedback", "status"):
        assert main([step, "fx_dmeo", "--course", str(tmp_path)]) == 2
        error = capsys.readouterr().err
        assert error == (
            f"error: no assignment 'fx_dmeo' in {tmp_path / 'solutions'}; the course has: fx_demo\n"
        ), step


def test_without_nbgrader_the_command_says_what_to_install(tmp_path):
    sample.make_course(tmp_path)
    script = (
        "import sys\n"
        "sys.modules['nbgrader'] = None  # as after `pip install coopcourse` alone\n"
        "from coopcourse.grading.cli import main\n"
        f"sys.exit(main(['autograde', 'fx_demo', '--course', {str(tmp_path)!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert result.stderr.strip().splitlines() == [
        "error: the grading commands need nbgrader: pip install 'coopcourse[instructor]' "
        "(in a checkout of the course: pip install -r requirements.txt)"
    ]
