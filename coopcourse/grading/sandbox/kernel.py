"""A fresh, resource-limited IPython kernel for one submission, and cell execution.

Each submission gets its own kernel process (no state can pass from one learner
to the next). Outputs are read with a size budget: past the budget they are
dropped and the cell is interrupted, and a single oversized message is refused
by ZeroMQ before it reaches the grader's memory.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import zmq
from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from zmq.utils.monitor import recv_monitor_message

from coopcourse.grading.sandbox.bubblewrap import bwrap_arguments
from coopcourse.grading.sandbox.channel import Channel
from coopcourse.grading.sandbox.launcher import LIMITS_VARIABLE
from coopcourse.grading.sandbox.limits import Limits

OUTPUT_TYPES = {"stream", "display_data", "execute_result", "error"}
# How a cell run ends when the grader stops it, and (with "died") when it ends early.
STOPPED_BY_GRADER = frozenset({"timeout", "output-limit", "flood"})
ENDED_EARLY = STOPPED_BY_GRADER | {"died"}
SHELL_MESSAGES_PER_POLL = 20
# A kernel sends one reply per request; more unasked-for shell messages than this
# is a flood, and the kernel is stopped.
MAX_STRAY_SHELL_MESSAGES = 200
# Not PYTHONPATH: it could put the course folder on the kernel's path (and in reach).
PASSED_ENVIRONMENT = {"PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ"}


def grading_kernel_spec(limits: Limits, workdir: Path | None = None) -> KernelSpec:
    """The kernel spec of a grading kernel: bubblewrap (unless ``limits.sandbox`` is off),
    the limit-applying launcher, then ipykernel."""
    prefix = bwrap_arguments(workdir) if limits.sandbox and workdir is not None else []
    return KernelSpec(
        argv=[
            *prefix,
            sys.executable,
            "-m",
            "coopcourse.grading.sandbox.launcher",
            "-f",
            "{connection_file}",
            "--HistoryManager.hist_file=:memory:",
            "--HistoryManager.enabled=False",
        ],
        display_name="Python 3 (course grading, limited)",
        language="python",
        # The kernel interrupts itself when asked on its control channel: a signal
        # from here would reach bubblewrap, not the kernel.
        interrupt_mode="message",
        env={LIMITS_VARIABLE: json.dumps(limits.__dict__)},
    )


GRADING_KERNEL_NAME = "coopcourse-grading"


class GradingKernelSpecs(KernelSpecManager):
    """Hands jupyter_client the one grading kernel spec; no kernel is looked up on disk."""

    def __init__(self, spec: KernelSpec) -> None:
        super().__init__()
        self.spec = spec

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return self.spec


@dataclass
class CellRun:
    outputs: list[dict] = field(default_factory=list)
    status: str = "ok"  # ok, error, timeout, died, output-limit, flood
    error_name: str = ""
    output_bytes: int = 0


class GradingKernel:
    """Context manager: start a limited kernel in ``workdir``; run cells; shut it down."""

    def __init__(self, workdir: Path, limits: Limits) -> None:
        self.workdir = workdir
        self.limits = limits
        self.km: KernelManager | None = None
        self.kc = None
        self.output_monitor: zmq.Socket | None = None
        self.context: zmq.Context | None = None
        self.channel: Channel | None = None
        self.alive = False
        self.stopped_by_grader = False
        self.exit_code: int | None = None
        self.stray_shell_messages = 0
        self.sent: set[str] = set()  # ids of the requests this grader sent

    def __enter__(self) -> GradingKernel:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        home = self.workdir
        (home / ".tmp").mkdir(exist_ok=True)
        # Only what a kernel needs: the instructor's other variables (tokens,
        # passwords) stay out of reach of learner code.
        env = {name: value for name, value in os.environ.items() if name in PASSED_ENVIRONMENT}
        env.update(
            HOME=str(home),
            IPYTHONDIR=str(home / ".ipython"),
            MPLCONFIGDIR=str(home / ".matplotlib"),
            MPLBACKEND="agg",
            TMPDIR=str(home / ".tmp"),
            PYTHONDONTWRITEBYTECODE="1",
            MALLOC_ARENA_MAX="2",
        )
        # The connection file and the IPC sockets live in the scratch folder, so they
        # go with it; the sandbox has no network, not even loopback.
        km = KernelManager(
            connection_file=str(home / ".kernel-connection.json"),
            transport="ipc",
            ip=str(home / ".kernel-ipc"),
            kernel_name=GRADING_KERNEL_NAME,
            kernel_spec_manager=GradingKernelSpecs(grading_kernel_spec(self.limits, self.workdir)),
        )
        env.update(km.kernel_spec.env)
        self.channel = Channel()
        env.update(self.channel.environment())
        self.log = open(home / ".kernel.log", "wb")  # noqa: SIM115 (closed in stop())
        try:
            km.start_kernel(
                cwd=str(self.workdir),
                env=env,
                stdout=self.log,
                stderr=self.log,
                pass_fds=self.channel.kernel_fds,
            )
        finally:
            self.channel.kernel_started()
        self.km = km
        self.context = zmq.Context()
        # A single message larger than this is dropped by ZeroMQ (the output budget
        # is enforced again when messages are read).
        self.context.setsockopt(zmq.MAXMSGSIZE, max(self.limits.output_limit_kb * 1024 * 8, 2**24))
        self._connect_client()
        self.kc.wait_for_ready(timeout=60)
        self.alive = True

    def _connect_client(self) -> None:
        self.kc = self.km.client(context=self.context)
        self.kc.start_channels()
        # ZeroMQ drops the output connection when one message is over MAXMSGSIZE; the
        # socket monitor reports that as it happens, so the grader need not guess.
        # A fresh address each time: pyzmq's default is named after the socket's file
        # descriptor, which a reconnected socket reuses.
        self.output_monitor = self.kc.iopub_channel.socket.get_monitor_socket(
            zmq.EVENT_DISCONNECTED, addr=f"inproc://coopcourse-output-{uuid.uuid4().hex}"
        )

    def _output_dropped(self) -> bool:
        """Whether the output connection dropped since the last look (the monitor
        reports nothing else)."""
        dropped = False
        while self.output_monitor is not None and self.output_monitor.poll(0):
            recv_monitor_message(self.output_monitor)
            dropped = True
        return dropped

    def stop(self, wait: bool = True) -> None:
        """Kill the kernel. With ``wait=False`` the teardown (mostly waiting for the
        process to exit) finishes in a background thread while grading goes on."""
        self.alive = False
        kc, km, context, log = self.kc, self.km, self.context, getattr(self, "log", None)
        channel, monitor = self.channel, self.output_monitor
        self.kc = self.km = self.context = self.log = self.channel = self.output_monitor = None

        def teardown() -> None:
            _close_monitor(kc, monitor)
            if kc is not None:
                kc.stop_channels()
            if km is not None and km.has_kernel:
                km.shutdown_kernel(now=True)
            if context is not None:
                context.destroy(linger=0)
            if log is not None:
                log.close()
            if channel is not None:
                channel.close()

        if wait:
            teardown()
        else:
            thread = threading.Thread(target=teardown, name="kernel-teardown", daemon=True)
            thread.start()
            _TEARDOWNS.append(thread)

    def killed_from_outside(self) -> bool:
        """Whether the kernel died of SIGKILL it did not cause: the sandbox's monitor was
        killed (or its kernel, by something outside), not stopped by this grader."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        code = process.poll() if process is not None else self.exit_code
        code = self.exit_code if code is None else code
        return not self.stopped_by_grader and code in (-9, 128 + 9)

    def is_alive(self) -> bool:
        return self.km is not None and self.km.is_alive()

    def run(self, code: str, timeout: float | None = None, *, history: bool = True) -> CellRun:
        """Execute ``code``; collect its outputs within the output budget."""
        result = CellRun()
        if not self.alive or not self.is_alive():
            self.alive = False
            result.status = "died"
            return result
        timeout = self.limits.cell_timeout if timeout is None else timeout
        msg_id = self.kc.execute(
            code, store_history=history, allow_stdin=False, stop_on_error=False
        )
        self.sent.add(msg_id)
        return self._collect(msg_id, timeout, result)

    def call(self, target: str, data: dict, timeout: float = 30) -> CellRun:
        """Open a comm to ``target`` (handled without run_cell) and wait until it is done."""
        result = CellRun()
        if not self.alive or not self.is_alive():
            self.alive = False
            result.status = "died"
            return result
        content = {"comm_id": uuid.uuid4().hex, "target_name": target, "data": data}
        message = self.kc.session.msg("comm_open", content)
        self.kc.shell_channel.send(message)
        self.sent.add(message["header"]["msg_id"])
        return self._collect(message["header"]["msg_id"], timeout, result)

    def _collect(self, msg_id: str, timeout: float, result: CellRun) -> CellRun:
        budget = self.limits.output_limit_kb * 1024
        deadline = time.monotonic() + timeout
        replied = output_lost = interrupted = False
        while True:
            replied = replied or self._has_reply(msg_id)
            # The connection also drops when the kernel dies; only a live kernel's
            # drop is a message ZeroMQ refused (the death is found below).
            output_lost = output_lost or self._output_dropped()
            now = time.monotonic()
            if self.stray_shell_messages > MAX_STRAY_SHELL_MESSAGES:
                result.status = "flood"
                self.stopped_by_grader = True
                self._kill(result)
                break
            if replied and output_lost and self.is_alive():
                # The cell's end (its idle status) went with the dropped connection.
                result.status = "output-limit"
                self._reconnect_output()
                break
            if now > deadline:
                if not interrupted and result.status != "output-limit":
                    result.status = "timeout"
                if not interrupted:
                    self.km.interrupt_kernel()
                    interrupted = True
                    deadline = now + 5.0
                    continue
                self._kill(result)
                break
            try:
                msg = self.kc.get_iopub_msg(timeout=min(0.5, max(deadline - now, 0.01)))
            except queue.Empty:
                if not self.is_alive():
                    self._kill(result)
                    break
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content.get("execution_state") == "idle":
                break
            if kind not in OUTPUT_TYPES:
                continue
            if kind == "error":
                result.error_name = result.error_name or content.get("ename", "Error")
                if result.status == "ok":
                    result.status = "error"
            size = len(json.dumps(content))
            result.output_bytes += size
            if result.output_bytes > budget:
                if result.status not in ("output-limit", "timeout"):
                    result.status = "output-limit"
                    self.km.interrupt_kernel()
                    interrupted = True
                    deadline = time.monotonic() + 5.0
                continue
            result.outputs.append(_to_output(kind, content))
        return result

    def _reconnect_output(self, timeout: float = 10.0) -> None:
        """A new client for the next cells, once output is seen to arrive on it.

        A new subscription reaches the kernel a moment after connecting, and output
        sent before that is lost; so kernel_info is asked (again, each second) until
        its idle status comes back on the output connection.
        """
        _close_monitor(self.kc, self.output_monitor)
        self.output_monitor = None
        self.kc.stop_channels()
        self._connect_client()
        deadline = time.monotonic() + timeout
        asked: set[str] = set()
        next_ask = 0.0
        while time.monotonic() < deadline and self.is_alive():
            if time.monotonic() >= next_ask:
                msg_id = self.kc.kernel_info()
                asked.add(msg_id)
                self.sent.add(msg_id)
                next_ask = time.monotonic() + 1.0
            try:
                msg = self.kc.get_iopub_msg(timeout=0.1)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") in asked:
                return

    def _has_reply(self, msg_id: str) -> bool:
        """Whether the reply to ``msg_id`` has come. Reads a bounded number of shell
        messages per call, so a kernel flooding the shell channel cannot hold the
        grader here; the caller's deadline still applies."""
        for _ in range(SHELL_MESSAGES_PER_POLL):
            try:
                reply = self.kc.get_shell_msg(timeout=0)
            except queue.Empty:
                return False
            parent = reply["parent_header"].get("msg_id")
            if parent == msg_id:
                return True
            if parent not in self.sent:  # a late reply to an earlier request is fine
                self.stray_shell_messages += 1
        return False

    def _kill(self, result: CellRun) -> None:
        if result.status not in STOPPED_BY_GRADER:
            result.status = "died"
        else:
            self.stopped_by_grader = True
        self.alive = False
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is not None:
            self.exit_code = process.poll()
        if self.km is not None and self.km.has_kernel:
            self.km.shutdown_kernel(now=True)


def _close_monitor(kc, monitor) -> None:
    if monitor is None:
        return
    if kc is not None:
        with contextlib.suppress(zmq.ZMQError):
            kc.iopub_channel.socket.disable_monitor()
    monitor.close(linger=0)


def _to_output(kind: str, content: dict) -> dict:
    if kind == "stream":
        return {
            "output_type": "stream",
            "name": content.get("name", "stdout"),
            "text": content.get("text", ""),
        }
    if kind == "error":
        return {
            "output_type": "error",
            "ename": content.get("ename", ""),
            "evalue": content.get("evalue", ""),
            "traceback": content.get("traceback", []),
        }
    output = {
        "output_type": kind,
        "data": content.get("data", {}),
        "metadata": content.get("metadata", {}),
    }
    if kind == "execute_result":
        output["execution_count"] = content.get("execution_count")
    return output


_TEARDOWNS: list[threading.Thread] = []


def finish_teardowns(timeout: float = 10.0) -> None:
    """Wait for kernels stopped with ``wait=False`` (call before a worker exits)."""
    while _TEARDOWNS:
        _TEARDOWNS.pop().join(timeout)
