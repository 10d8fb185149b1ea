"""Exported values: ``marshal`` version 2 bytes, read back by a strict decoder.

In the kernel the sentry serialises each check's value with ``marshal.dumps(value,
2)``: C code that accepts only exact built-in types (a subclass or a crafted
object is refused, so no method of a learner's object ever runs) and keeps
tuples, lists, sets, bools and ints distinct. The grader never calls
``marshal.loads`` on those bytes: :func:`decode` below understands only None,
bools, ints, floats, str, tuple, list, dict, set and frozenset, and rejects
anything else.
"""

from __future__ import annotations

import struct


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
            digits = self.int32()
            number = 0
            for shift in range(abs(digits)):
                digit = struct.unpack("<H", self.take(2))[0]
                if digit >= 1 << 15:
                    raise DecodeError("bad int")
                number |= digit << (15 * shift)
            return -number if digits < 0 else number
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
