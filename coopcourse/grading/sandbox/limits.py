"""The limits every grading kernel runs under: time, CPU, memory, files, processes, output.

Their values are set in the course's ``nbgrader_config.py`` (``c.CourseGrader....``)
and read by :mod:`coopcourse.grading.settings`; the kernel launcher applies them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Resource limits applied to every grading kernel (see nbgrader_config.py)."""

    cell_timeout: float = 60.0
    cpu_seconds: int = 300
    memory_mb: int = 2048
    file_size_mb: int = 50
    open_files: int = 256
    extra_processes: int = 32
    output_limit_kb: int = 512
    filesystem_sandbox: bool = True
    network_sandbox: bool = True
    sandbox: bool = True
    submission_seconds: float = 900.0
