"""Unit tests of the grading engine's parts: values, rewriting, assembly, limits."""

from __future__ import annotations

import marshal
import math
import os

import nbformat
import pytest

from coopcourse.grading import sample_course as sample
from coopcourse.grading.nbgrader_cells import grade_id
from coopcourse.grading.pipeline.assemble import assemble
from coopcourse.grading.pipeline.source import load_assignment
from coopcourse.grading.sandbox.kernel import GradingKernel
from coopcourse.grading.sandbox.landlock import abi_version
from coopcourse.grading.sandbox.limits import Limits
from coopcourse.grading.sandbox.rewrite import builtins_to_drop, rewrite_test_cell
from coopcourse.grading.sandbox.values import MAX_INT_DIGITS, DecodeError, decode
from coopcourse.grading.sandbox.workdir import remove_tree


def roundtrip(value):
    return decode(marshal.dumps(value, 2))


def test_values_keep_their_exact_types():
    value = {"a": [1, 2.5, (True, None)], "s": {1, 2}, "f": frozenset({"x"}), 3: -0.0, "b": 10**40}
    back = roundtrip(value)
    assert back == value and type(back["a"][2]) is tuple and type(back["f"]) is frozenset
    assert type(back["a"][2][0]) is bool and back["b"] == 10**40 and roundtrip(-(2**70)) == -(2**70)
    assert math.isnan(roundtrip(math.nan)) and roundtrip(math.inf) == math.inf


def test_crafted_objects_cannot_be_serialised_and_foreign_bytes_are_refused():
    class Sneaky(str):
        def __str__(self):
            raise AssertionError("never called")

    class Liar:
        def __eq__(self, other):
            return True

    for crafted in (Sneaky("x"), [Liar()]):
        with pytest.raises(ValueError):
            marshal.dumps(crafted, 2)
    for foreign in (b"x", compile("1", "f", "eval"), 1j, bytearray(b"x")):
        with pytest.raises(DecodeError):
            decode(marshal.dumps(foreign, 2))
    with pytest.raises(DecodeError):
        decode(marshal.dumps([1, 2], 2)[:-1])


def test_ints_roundtrip_up_to_a_cap_and_larger_ones_are_refused():
    biggest = (1 << (15 * MAX_INT_DIGITS)) - 1
    assert roundtrip(biggest) == biggest and roundtrip(-biggest) == -biggest
    assert roundtrip([0, 1, -(2**31), 2**64]) == [0, 1, -(2**31), 2**64]
    # A huge answer would otherwise tie up the grader rebuilding it.
    with pytest.raises(DecodeError, match="int too large"):
        decode(marshal.dumps(biggest + 1, 2))
    bad_digit = marshal.dumps(2**40, 2)[:-2] + b"\xff\xff"  # a 15-bit digit out of range
    with pytest.raises(DecodeError, match="bad int"):
        decode(bad_digit)


def test_scratch_folders_deeper_than_the_recursion_limit_are_removed(tmp_path):
    top = tmp_path / "scratch"
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(3000):  # as a learner's loop of mkdir and chdir would leave it
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
    finally:
        os.close(fd)
    remove_tree(top)
    assert not top.exists()
    remove_tree(top)  # already gone: nothing to do, no error


def test_rewrite_sends_no_expected_value_to_the_kernel():
    source = (
        "from coopcourse.grading.checks import check\n"
        "### BEGIN HIDDEN TESTS\n"
        'check("a.q1.2", len(answer(7)), 1234567, rel_tol=1e-3)\n'
        "### END HIDDEN TESTS"
    )
    code = rewrite_test_cell(source)
    assert "1234567" not in code and "import" not in code
    assert code == "__cc_check__('a.q1.2', lambda: len(answer(7)))"
    reference = rewrite_test_cell(source, reference=True)
    assert reference.endswith("lambda: 1234567)")


def test_test_cells_see_the_real_builtins_unless_the_assignment_defines_the_name():
    drop = builtins_to_drop(frozenset({"filter"}))
    assert "len" in drop and "__cc_check__" in drop and "filter" not in drop


def test_a_record_is_accepted_only_with_the_channel_key():
    from coopcourse.grading.sandbox.channel import Channel

    channel = Channel()
    key_read, result_write = channel.kernel_fds
    body = marshal.dumps(("violation", "x"), 2)
    os.write(result_write, len(body).to_bytes(4, "big") + b"\0" * 32 + body)
    os.close(result_write)
    channel.kernel_fds = (key_read,)
    channel._reader.join(5)
    records, notes = channel.take()
    assert records == [] and notes == ["unsigned data on the result channel (a forged result)"]
    channel.close()


def test_source_knows_hidden_checks_and_release_text(tmp_path):
    sample.make_course(tmp_path)
    source = load_assignment(tmp_path / "solutions", sample.ASSIGNMENT)
    hidden = {check.check_id: check.hidden for check in source.checks}
    assert hidden == {
        "fx_demo.q1.1": False,
        "fx_demo.q1.2": True,
        "fx_demo.q1.3": True,
        "fx_demo.q2.1": False,
        "fx_demo.q2.2": True,
    }
    assert {"double", "WORDS", "check"} <= source.own_names
    q1 = source.by_grade_id()["q1_answer"]
    assert "raise NotImplementedError()" in q1.release_source and "2 * x" not in q1.release_source
    assert "zqzq" not in source.by_grade_id()["q1_hidden"].release_source


def test_learner_cells_follow_their_graded_cell_after_reordering(tmp_path):
    sample.make_course(tmp_path)
    source = load_assignment(tmp_path / "solutions", sample.ASSIGNMENT)
    notebook = sample.student_notebook(tmp_path, sample.RIGHT)
    helper = nbformat.v4.new_code_cell("helper = 1")
    index = next(
        i
        for i, c in enumerate(notebook.cells)
        if grade_id(c) == "q2_answer"
    )
    notebook.cells.insert(index + 1, helper)
    notebook.cells.reverse()
    assembly = assemble(source, notebook)
    ids = [grade_id(c) for c in assembly.notebook.cells]
    graded = [grade_id for grade_id in ids if grade_id]
    assert graded == [c.grade_id for c in source.cells if c.grade_id]
    position = [c.source for c in assembly.notebook.cells].index("helper = 1")
    # Reversed, the helper came before q2_answer, i.e. after q2_tests in the submission.
    assert ids[position - 1] == "q2_tests"
    assert assembly.problems == [
        "graded cells were moved; they were put back in the original order"
    ]


@pytest.mark.slow
def test_kernel_limits_cpu_and_file_size(tmp_path):
    limits = Limits(cell_timeout=20, cpu_seconds=2, file_size_mb=1, filesystem_sandbox=False)
    with GradingKernel(tmp_path, limits) as kernel:
        big = kernel.run("open('big.bin', 'wb').write(b'x' * 2 * 2**20)")
        assert big.status == "error" and big.error_name == "OSError"  # EFBIG
        spin = kernel.run("while True:\n    pass")
        assert spin.status == "died"  # RLIMIT_CPU ends the kernel well before the timeout
    assert (tmp_path / "big.bin").stat().st_size == 2**20


@pytest.mark.slow
@pytest.mark.skipif(abi_version() < 1, reason="Landlock is not available on this Linux kernel")
def test_sandbox_keeps_course_files_network_and_secrets_out_of_reach(tmp_path, monkeypatch):
    monkeypatch.setenv("COOPCOURSE_TEST_SECRET", "instructor token")
    secret = tmp_path / "solutions.txt"
    secret.write_text("expected values")
    work = tmp_path / "work"
    work.mkdir()
    with GradingKernel(work, Limits(cell_timeout=20)) as kernel:
        read = kernel.run(f"open({str(secret)!r}).read()")
        write = kernel.run(f"open({str(tmp_path / 'new.txt')!r}, 'w')")
        inside = kernel.run("open('mine.txt', 'w').write('ok')")
        package = kernel.run("from coopcourse import seeds; len(seeds.load('ft').text) > 0")
        network = kernel.run("import socket\nsocket.create_connection(('127.0.0.1', 9), 3)")
        environment = kernel.run("import os; 'COOPCOURSE_TEST_SECRET' in os.environ")
    # Outside the sandbox's folder nothing is even there (bubblewrap), or it is refused.
    assert read.error_name in ("FileNotFoundError", "PermissionError")
    assert write.error_name in ("FileNotFoundError", "PermissionError")
    assert inside.status == "ok" and (work / "mine.txt").read_text() == "ok"
    assert package.status == "ok" and package.outputs[-1]["data"]["text/plain"] == "True"
    assert network.error_name == "PermissionError"  # no outgoing TCP connections
    assert environment.outputs[-1]["data"]["text/plain"] == "False"


def test_oversized_notebook_is_refused_with_advice(tmp_path, monkeypatch):
    from coopcourse.grading.pipeline import intake

    monkeypatch.setattr(intake, "MAX_NOTEBOOK_BYTES", 1000)
    (tmp_path / "a.ipynb").write_text(" " * 2000)
    with pytest.raises(intake.SubmissionUnreadable, match="Clear Outputs of All Cells"):
        intake.read_submission(tmp_path, "a")


def test_a_dying_worker_costs_only_its_own_submission(tmp_path, monkeypatch):
    import os

    from coopcourse.grading.pipeline import grade, runner
    from coopcourse.grading.pipeline.grade import Job
    from coopcourse.grading.settings import CourseSettings

    def fake_grade(settings, source, expected, job):
        if job.student == "killer":
            os._exit(1)  # as if the system killed the worker
        return grade.blank_result(source, job)

    monkeypatch.setattr(runner, "grade_job", fake_grade)  # inherited by forked workers
    sample.make_course(tmp_path)
    source = load_assignment(tmp_path / "solutions", sample.ASSIGNMENT)
    jobs = [Job(name, sample.ASSIGNMENT) for name in ("a", "b", "killer", "c", "d")]
    records = list(runner._run_jobs(CourseSettings(root=tmp_path, workers=2), source, {}, jobs))
    by_student = {record.student: record for record in records}
    assert sorted(by_student) == ["a", "b", "c", "d", "killer"] and len(records) == 5
    assert by_student["killer"].status == "error"
    assert "grading process failed" in by_student["killer"].problems[0]
    assert all(by_student[name].status == "graded" for name in "abcd")


def test_sample_course_command_makes_a_course_to_try(tmp_path, capsys):
    root = tmp_path / "demo"
    assert sample.main([str(root)]) == 0
    assert (root / "nbgrader_config.py").exists()
    assert sorted(p.name for p in (root / "submitted").iterdir()) == ["ada", "ben", "cleo", "dev"]
    assert "coopcourse class autograde fx_demo" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        sample.main([str(root)])  # refuses a folder that is not empty


def test_a_course_folder_on_sys_path_stays_out_of_the_sandbox(tmp_path, monkeypatch):
    """A PYTHONPATH (or `python -m` run in the course folder) puts the course on sys.path;
    neither the bubblewrap mounts nor Landlock's readable folders may follow it."""
    from coopcourse.grading.sandbox.bubblewrap import read_only_paths
    from coopcourse.grading.sandbox.kernel import PASSED_ENVIRONMENT
    from coopcourse.grading.sandbox.launcher import readable_roots

    course = tmp_path / "course"
    (course / "solutions").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(course))
    monkeypatch.setenv("PYTHONPATH", str(course))
    monkeypatch.chdir(tmp_path)
    inside = str(course)
    assert not [path for path in read_only_paths() if path.startswith(inside)]
    roots = readable_roots(str(tmp_path / "connection.json"))
    assert not [path for path in roots if path.startswith(inside)]
    assert "PYTHONPATH" not in PASSED_ENVIRONMENT


def test_a_violation_never_carries_the_notebooks_words():
    """An audit event named by the notebook ("_ctypes <hidden test source>") must not
    reach problems, feedback or export: only the sentry's own texts are shown."""
    from coopcourse.grading.sandbox.execute import _describe_violation

    assert _describe_violation(("_ctypes __cc_check__('fx_demo.q1.2', ...)",)) == (
        "it tried to tamper with grading"
    )
    assert _describe_violation(("ctypes",)) == "it tried to use ctypes"
    assert _describe_violation(("sys.addaudithook",)) == "it tried to add an audit hook"
    assert _describe_violation(("the notebook installed a signal handler",)) == (
        "the notebook installed a signal handler"
    )


def test_a_huge_value_is_refused_before_it_is_decoded():
    from coopcourse.grading.pipeline.scoring import decode_limit, judge
    from coopcourse.grading.sandbox.execute import Export

    flood = marshal.dumps([None] * 200_000, 2)
    assert len(flood) > decode_limit(4.0)
    assert judge("a.q1.1", [Export("value", "", flood)], 4.0, 1e-6) == (
        False,
        "gave a value far larger than the expected one",
    )
    big_but_right = list(range(50_000))
    value = marshal.dumps(big_but_right, 2)
    assert judge("a.q1.2", [Export("value", "", value)], big_but_right, 1e-6) == (True, "passed")


def test_a_lone_surrogate_or_a_damaged_timestamp_is_reported_not_a_crash(tmp_path):
    from coopcourse.grading.classroom.late import read_timestamp_file as _timestamp
    from coopcourse.grading.pipeline.intake import SubmissionUnreadable, read_submission

    folder = tmp_path / "s1" / "fx_demo"
    folder.mkdir(parents=True)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x")])
    text = nbformat.writes(notebook).replace('"x"', '"\\ud800"')
    (folder / "fx_demo.ipynb").write_text(text, encoding="utf-8")
    with pytest.raises(SubmissionUnreadable, match="not valid Unicode"):
        read_submission(folder, "fx_demo.ipynb")
    (folder / "timestamp.txt").write_text("not a time at all", encoding="utf-8")
    assert _timestamp(folder) is None
    (folder / "timestamp.txt").write_text("2026-03-01 09:30:00.000000 UTC", encoding="utf-8")
    assert _timestamp(folder) == "2026-03-01 09:30:00.000000 UTC"


def test_expected_values_never_reach_the_kernel():
    # The autograded notebook keeps the trusted test source; what ran in the kernel
    # was the rewrite, whose text is checked here directly.
    from coopcourse.grading.sandbox.rewrite import rewrite_test_cell

    code = rewrite_test_cell('check("fx_demo.q1.3", double("zq"), "zq" + "zq")')
    assert "zq" + "zq" not in code and '"zq" + "zq"' not in code and "'zq' + 'zq'" not in code
    assert "__cc_check__('fx_demo.q1.3', lambda: double('zq'))" in code


@pytest.mark.slow
def test_printed_text_waiting_to_be_sent_stays_bounded(tmp_path):
    """A cell that outruns the kernel's output thread (here: the thread never sends)
    must not pile its text up in memory until the kernel dies of its memory limit."""
    limits = Limits(cell_timeout=20, output_limit_kb=64, filesystem_sandbox=False)
    line = 10**5
    code = (
        "import sys\nstream = sys.stdout\nstream._schedule_flush = lambda: None\n"
        f"for _ in range(200):\n    stream.write('x' * {line})\n"
        "unsent = max(buffer.tell() for buffer in stream._buffers.values())\n"
        "stream._rotate_buffers()\nunsent"
    )
    with GradingKernel(tmp_path, limits) as kernel:
        run = kernel.run(code)
    assert run.status == "ok", run.outputs
    unsent = int(run.outputs[-1]["data"]["text/plain"])
    assert unsent <= 2 * 64 * 1024 + line  # twice the output budget, and one write past it
