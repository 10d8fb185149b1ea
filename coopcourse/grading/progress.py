"""A one-line progress bar: done/total, failures so far and the time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    def __init__(
        self, total: int, label: str = "grading", stream: TextIO | None = None, width: int = 24
    ) -> None:
        self.total, self.label, self.width = total, label, width
        self.stream = stream if stream is not None else sys.stderr
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.interactive = getattr(self.stream, "isatty", lambda: False)()
        self._last_percent = -1

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        left = _clock(elapsed / self.done * (self.total - self.done)) if self.done else "?"
        return (
            f"{self.label} [{bar}] {self.done}/{self.total} done, {self.failed} with problems, "
            f"{left} left"
        )

    def update(self, failed: bool) -> None:
        self.done += 1
        self.failed += int(failed)
        percent = 100 * self.done // max(self.total, 1)
        if self.interactive:
            self.stream.write("\r" + self.line())
        elif percent // 10 != self._last_percent // 10 or self.done == self.total:
            self.stream.write(self.line() + "\n")
        self._last_percent = percent
        self.stream.flush()

    def finish(self) -> None:
        if self.interactive:
            self.stream.write("\n")
        elapsed = time.monotonic() - self.started
        self.stream.write(f"{self.label}: {self.done} submissions in {elapsed:.1f} s\n")
        self.stream.flush()
