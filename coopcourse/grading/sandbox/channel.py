"""The result channel, grader side: a pipe from the sentry, every record signed.

The grader creates two pipes per kernel: one carries a fresh random key to the
kernel's launcher (read and closed before any learner code runs), the other
carries signed records back. Records that fail the signature, cannot be read,
or break the order of the conversation are not results: they are tampering.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
import time
from dataclasses import dataclass, field

from coopcourse.grading.sandbox.values import DecodeError, decode

KEY_VARIABLE = "COOPCOURSE_KEY_FD"
CHANNEL_VARIABLE = "COOPCOURSE_CHANNEL_FD"
MAX_CHANNEL_BYTES = 64 * 2**20
HEADER = 4 + 32


def request_digest(request: str, source: str) -> str:
    return hashlib.sha256((request + "\0" + source).encode()).hexdigest()


@dataclass
class Record:
    kind: str  # check, done or violation
    fields: tuple


@dataclass
class Channel:
    """Both pipes of one kernel; ``kernel_fds`` go to the kernel, the rest stays here."""

    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    records: list[Record] = field(default_factory=list)
    tampering: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        key_read, key_write = os.pipe()
        self.result_read, result_write = os.pipe()
        os.write(key_write, self.key)
        os.close(key_write)
        self.kernel_fds = (key_read, result_write)
        self._buffer = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, name="result-channel", daemon=True)
        self._reader.start()

    def environment(self) -> dict[str, str]:
        key_read, result_write = self.kernel_fds
        return {KEY_VARIABLE: str(key_read), CHANNEL_VARIABLE: str(result_write)}

    def kernel_started(self) -> None:
        """Close this process's copies of the kernel's ends (the kernel holds its own)."""
        for fd in self.kernel_fds:
            os.close(fd)
        self.kernel_fds = ()

    def _read(self) -> None:
        total = 0
        while True:
            try:
                chunk = os.read(self.result_read, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            total += len(chunk)
            with self._lock:
                if total > MAX_CHANNEL_BYTES:
                    self.tampering.append("the kernel sent more results than any notebook can")
                    return
                self._buffer.extend(chunk)
                self._parse()

    def _parse(self) -> None:
        while len(self._buffer) >= HEADER:
            size = int.from_bytes(self._buffer[:4], "big")
            if len(self._buffer) < HEADER + size:
                return
            mac = bytes(self._buffer[4:HEADER])
            body = bytes(self._buffer[HEADER : HEADER + size])
            del self._buffer[: HEADER + size]
            inner = hashlib.sha256(_pad(self.key, 0x36) + body).digest()
            expected = hashlib.sha256(_pad(self.key, 0x5C) + inner).digest()
            if not hmac.compare_digest(mac, expected):
                self.tampering.append("unsigned data on the result channel (a forged result)")
                self._buffer.clear()
                return
            try:
                fields = decode(body, allow_bytes=True)
            except DecodeError:
                self.tampering.append("an unreadable record on the result channel")
                continue
            if type(fields) is not tuple or not fields or type(fields[0]) is not str:
                self.tampering.append("a malformed record on the result channel")
                continue
            self.records.append(Record(fields[0], fields[1:]))

    def take(self) -> tuple[list[Record], list[str]]:
        """Records and tampering notes received so far (each returned once)."""
        with self._lock:
            records, notes = self.records, self.tampering
            self.records, self.tampering = [], []
        return records, notes

    def wait_for(self, kind: str, request: str, timeout: float) -> bool:
        """Wait until a ``kind`` record of ``request`` (or the channel's end) has arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if any(r.kind == kind and r.fields[:1] == (request,) for r in self.records):
                    return True
                if any(r.kind == "violation" for r in self.records):
                    return False
            if not self._reader.is_alive():
                return False
            time.sleep(0.002)
        return False

    def close(self) -> None:
        """Close this side, once the kernel has gone (its end of the pipe closed)."""
        for fd in self.kernel_fds:
            os.close(fd)
        self.kernel_fds = ()
        self._reader.join(5)
        if not self._reader.is_alive():  # never close an fd a reader may still use
            os.close(self.result_read)


def _pad(key: bytes, byte: int) -> bytes:
    return bytes(value ^ byte for value in key.ljust(64, b"\0"))
