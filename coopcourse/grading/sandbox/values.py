"""Exported values: ``marshal`` version 2 bytes, read back by a strict decoder.

In the kernel the sentry serialises each check's value with ``marshal.dumps(value,
2)``: C code that accepts only exact built-in types (a subclass or a crafted
object is refused, so no method of a learner's object ever runs) and keeps
tuples, lists, sets, bools and ints distinct. The grader never calls
``marshal.loads`` on those bytes: :func:`decode` below understands only None,
bools, ints, floats, str, tuple, list, dict, set and frozenset, and rejects
anything else. (The one exception is a single int, whose digits the decoder
has already bounded and which it hands to ``marshal.loads`` under its own
type code, because rebuilding a big int digit by digit in Python is slow.)
"""

from __future__ import annotations

import marshal
import struct

# No answer in the course needs an int this large (about 45,000 decimal digits).
MAX_INT_DIGITS = 10_000  # marshal's 15-bit digits


class DecodeError(ValueError):
    pass


class _Reader:
    def __init__(self, data: bytes, allow_bytes: bool) -> None:
        self.data, self.position, self.allow_bytes = data, 0, allow_bytes

    def take(self, count: int) -> bytes:
        if count < 0 or self.position + count > len(self.data):
            raise DecodeError("value cut short")
        chunk = self.data[self.position : self.position + count]
        self.position += count
        return chunk

    def int32(self) -> int:
        return struct.unpack("<i", self.take(4))[0]

    def size(self) -> int:
        count = self.int32()
        if count < 0 or count > len(self.data):
            raise DecodeError("bad length")
        return count

    def value(self, depth: int = 0):
        if depth > 200:
            raise DecodeError("value nested too deeply")
        code = chr(self.take(1)[0] & 0x7F)
        if code == "N":
            return None
        if code in "TF":
            return code == "T"
        if code == "i":
            return self.int32()
        if code == "l":
            start = self.position - 1
            digits = self.int32()
            if abs(digits) > MAX_INT_DIGITS:
                raise DecodeError(f"int too large (over {15 * MAX_INT_DIGITS:,} bits)")
            self.take(2 * abs(digits))
            # marshal rebuilds the int in linear time; a Python loop of shifts is
            # quadratic, which a huge answer could turn into hours of grading.
            try:
                return marshal.loads(b"l" + self.data[start + 1 : self.position])
            except (ValueError, EOFError):
                raise DecodeError("bad int") from None
        if code == "g":
            return struct.unpack("<d", self.take(8))[0]
        if code in "ut":
            try:
                return self.take(self.size()).decode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                raise DecodeError("bad text") from None
        if code == "s" and self.allow_bytes:
            return self.take(self.size())
        if code in "([<>":
            items = [self.value(depth + 1) for _ in range(self.size())]
            if code == "(":
                return tuple(items)
            if code == "[":
                return items
            try:
                return set(items) if code == "<" else frozenset(items)
            except TypeError:
                raise DecodeError("unhashable element") from None
        if code == "{":
            result = {}
            while True:
                if self.data[self.position : self.position + 1] == b"0":
                    self.position += 1
                    return result
                key = self.value(depth + 1)
                try:
                    result[key] = self.value(depth + 1)
                except TypeError:
                    raise DecodeError("unhashable key") from None
        raise DecodeError(f"unsupported kind of value ({code!r})")


def decode(data: bytes, *, allow_bytes: bool = False):
    """Rebuild a value from ``marshal.dumps(value, 2)`` bytes; DecodeError if not allowed."""
    reader = _Reader(data, allow_bytes)
    value = reader.value()
    if reader.position != len(data):
        raise DecodeError("trailing bytes")
    return value
