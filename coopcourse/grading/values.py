"""Typed JSON for values exported from a grading kernel.

Plain JSON cannot tell a tuple from a list, 1 from True, or a set from a list,
so values travel as tagged trees: ``["int", "3"]``, ``["list", [...]]``. The
encoder runs inside the learner's kernel (its source is sent there by the
grader, see :data:`ENCODER_SOURCE`); it looks only at ``type()`` and never calls
a method of a learner's object, so a crafted object is exported as ``["other",
"<type name>"]`` and can match nothing. The decoder runs in the grader.
"""

from __future__ import annotations

import inspect
import math


def encode_value(value, budget=None):
    """Encode ``value`` as a tagged tree (runs in the kernel; self-contained)."""
    if budget is None:
        budget = [200_000]
    budget[0] -= 1
    if budget[0] < 0:
        return ["other", "value too large to export"]
    kind = type(value)
    if value is None:
        return ["none"]
    if kind is bool:
        return ["bool", value]
    if kind is int:
        return ["int", int.__repr__(value)]
    if kind is float:
        return ["float", float.__repr__(value)]
    if kind is str:
        return ["str", str.__str__(value)]
    if kind is list or kind is tuple:
        tag = "list" if kind is list else "tuple"
        return [tag, [encode_value(item, budget) for item in value]]
    if kind is dict:
        return [
            "dict",
            [[encode_value(k, budget), encode_value(v, budget)] for k, v in value.items()],
        ]
    if kind is set or kind is frozenset:
        tag = "set" if kind is set else "frozenset"
        return [tag, [encode_value(item, budget) for item in value]]
    return ["other", kind.__name__ if type(kind.__name__) is str else "?"]


ENCODER_SOURCE = inspect.getsource(encode_value)


class Unexportable:
    """Stands for a value the kernel could not export (a crafted or unsupported object)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<unexportable {self.type_name}>"


class DecodeError(ValueError):
    pass


def decode_value(tree: object, depth: int = 0):
    """Rebuild a value from a tagged tree; unknown shapes raise DecodeError."""
    if depth > 200:
        raise DecodeError("value nested too deeply")
    if type(tree) is not list or not tree or type(tree[0]) is not str:
        raise DecodeError("malformed value")
    tag, body = tree[0], tree[1:]
    try:
        if tag == "none" and not body:
            return None
        (item,) = body
        if tag == "bool" and type(item) is bool:
            return item
        if tag == "int" and type(item) is str:
            return int(item)
        if tag == "float" and type(item) is str:
            number = float(item)
            return number if not math.isnan(number) else math.nan
        if tag == "str" and type(item) is str:
            return item
        if tag == "other":
            return Unexportable(str(item))
        if type(item) is not list:
            raise DecodeError("malformed container")
        if tag in ("list", "tuple"):
            items = [decode_value(part, depth + 1) for part in item]
            return items if tag == "list" else tuple(items)
        if tag in ("set", "frozenset"):
            items = [decode_value(part, depth + 1) for part in item]
            return set(items) if tag == "set" else frozenset(items)
        if tag == "dict":
            return {decode_value(key, depth + 1): decode_value(val, depth + 1) for key, val in item}
    except (TypeError, ValueError) as error:
        raise DecodeError(f"malformed {tag}: {error}") from None
    raise DecodeError(f"unknown tag {tag!r}")
