"""The one assertion used by assignment test cells: ``check(check_id, actual, expected)``.

A check passes only when ``actual`` has exactly the type structure of ``expected``
(``type(a) is type(e)`` all the way down through list, tuple, dict, set, frozenset,
str, int, float, bool and None) and the same value (floats compared with
``math.isclose``). Subclasses and objects with a crafted ``__eq__`` therefore fail,
and no method of the learner's object is ever called: only ``type()``, ``len()``
of built-in containers and built-in comparisons are used.

On success it prints ``check <id> passed``, so a learner sees each visible check
pass; on failure it raises ``AssertionError`` whose message names the check id, where in
the expected value the difference is, and what kind of value was expected — never the
expected value itself, so a failing hidden test gives nothing away.

Nor does a message carry anything measured on ``actual`` (no length, count, value
or type name of the learner's choosing), so it cannot copy out a stashed hidden
input (a list of 7 items for the input 7). What a message does take from
``actual`` is where the first difference lies (a place in ``expected``) and which
of the supported kinds it is ("got a str"); the grader adds which built-in
exception was raised. Those few choices could still encode a hidden input that
learner code saw, so the learner's feedback shows a visible check's message only
for test cells before the first hidden test cell; from there on it shows only
passed / not passed (graders see every message).

The course grader (``coopcourse.grading``) does not rely on this function running
in the learner's kernel; it uses :func:`mismatch` on values exported from the
kernel. Plain ``nbgrader autograde`` runs ``check`` as ordinary Python.
"""

from __future__ import annotations

import math

SCALAR_TYPES = (type(None), bool, int, float, str)
CONTAINER_TYPES = (list, tuple, dict, set, frozenset)

# Floats that should be zero may carry rounding noise; rel_tol alone cannot absorb it.
ABS_TOL = 1e-12

_KIND_NAMES = {
    type(None): "None",
    bool: "a bool (True or False)",
    int: "an int",
    float: "a float",
    str: "a str",
    list: "a list",
    tuple: "a tuple",
    dict: "a dict",
    set: "a set",
    frozenset: "a frozenset",
}


def kind_name(value_type: type) -> str:
    """A short phrase naming a type for learners ("a list", "an int")."""
    return _KIND_NAMES.get(value_type, f"an object of type {value_type.__name__!r}")


def _actual_kind_name(value: object) -> str:
    """The learner's kind of value, from a fixed list of phrases.

    Kept because "expected a float, got a str" is the most useful hint a learner
    gets, and it can carry at most about 3.5 bits (one of 11 phrases) per check;
    the name of any other type is the learner's to choose, so it is never shown.
    """
    kind = _exact_kind(value)
    return kind_name(kind) if kind is not None else "a value of another type"


def _path_text(path: str) -> str:
    return f" at {path}" if path else ""


def _exact_kind(value: object) -> type | None:
    """The value's type if it is one the format supports, else None."""
    value_type = type(value)
    if value_type in SCALAR_TYPES or value_type in CONTAINER_TYPES:
        return value_type
    return None


def validate_expected(expected: object, path: str = "") -> None:
    """Raise TypeError if ``expected`` uses a type the format does not support."""
    kind = _exact_kind(expected)
    if kind is None:
        raise TypeError(
            f"expected value{_path_text(path)} has unsupported type {type(expected).__name__}; "
            "use None, bool, int, float, str, list, tuple, dict, set or frozenset"
        )
    if kind in (list, tuple):
        for index, item in enumerate(expected):  # type: ignore[arg-type]
            validate_expected(item, f"{path}[{index}]")
    elif kind is dict:
        for key, item in expected.items():  # type: ignore[union-attr]
            validate_expected(key, f"{path} (a key)")
            validate_expected(item, f"{path}[{key!r}]")
    elif kind in (set, frozenset):
        for item in expected:  # type: ignore[union-attr]
            validate_expected(item, f"{path} (an element)")


def _floats_match(actual: float, expected: float, rel_tol: float) -> bool:
    if math.isnan(expected) or math.isnan(actual):
        return math.isnan(expected) and math.isnan(actual)
    return math.isclose(actual, expected, rel_tol=rel_tol, abs_tol=ABS_TOL)


def mismatch(
    actual: object, expected: object, *, rel_tol: float = 1e-6, path: str = ""
) -> str | None:
    """Describe how ``actual`` differs from ``expected``, or return None if it matches.

    The description mentions kinds of values and positions in ``expected``, never the
    expected value, and nothing measured on ``actual`` but its kind (see the module
    docstring). ``expected`` is trusted (written by the assignment author); ``actual``
    is not.
    """
    expected_type = type(expected)
    if type(actual) is not expected_type:
        where = _path_text(path)
        return f"expected {kind_name(expected_type)}{where}, got {_actual_kind_name(actual)}"
    if expected_type is float:
        if _floats_match(actual, expected, rel_tol):  # type: ignore[arg-type]
            return None
        return f"the float{_path_text(path)} is not the expected number"
    if expected_type in SCALAR_TYPES:
        # Both have the same built-in type, so == is the built-in comparison.
        if actual == expected:
            return None
        return f"the {expected_type.__name__}{_path_text(path)} is not the expected value"
    if expected_type in (list, tuple):
        return _sequence_mismatch(actual, expected, rel_tol, path)  # type: ignore[arg-type]
    if expected_type is dict:
        return _dict_mismatch(actual, expected, rel_tol, path)  # type: ignore[arg-type]
    if expected_type in (set, frozenset):
        return _set_mismatch(actual, expected, rel_tol, path)  # type: ignore[arg-type]
    raise TypeError(
        f"expected value{_path_text(path)} has unsupported type {expected_type.__name__}"
    )


def _sequence_mismatch(actual, expected, rel_tol: float, path: str) -> str | None:
    name = type(expected).__name__
    if len(actual) != len(expected):
        return f"the {name}{_path_text(path)} does not have the expected number of items"
    for index, (item, wanted) in enumerate(zip(actual, expected, strict=True)):
        problem = mismatch(item, wanted, rel_tol=rel_tol, path=f"{path}[{index}]")
        if problem:
            return problem
    return None


def _dict_mismatch(actual: dict, expected: dict, rel_tol: float, path: str) -> str | None:
    for key in actual:
        if _exact_kind(key) is None:
            return f"the dict{_path_text(path)} has a key of an unsupported type"
    # Keys now have exact built-in types, so membership uses built-in hashing and equality.
    # A key of another type (1 vs 1.0 vs True) must not count as present.
    actual_keys = {(type(key), key) for key in actual}
    expected_keys = {(type(key), key) for key in expected}
    if actual_keys != expected_keys:
        return f"the dict{_path_text(path)} does not have the expected keys"
    for key, wanted in expected.items():
        problem = mismatch(actual[key], wanted, rel_tol=rel_tol, path=f"{path}[{key!r}]")
        if problem:
            return problem
    return None


def _set_mismatch(actual, expected, rel_tol: float, path: str) -> str | None:
    name = type(expected).__name__
    if len(actual) != len(expected):
        return f"the {name}{_path_text(path)} does not have the expected number of elements"
    unmatched = list(expected)
    for item in actual:
        for index, wanted in enumerate(unmatched):
            if mismatch(item, wanted, rel_tol=rel_tol) is None:
                del unmatched[index]
                break
        else:
            return f"the {name}{_path_text(path)} does not have the expected elements"
    return None


def check(check_id: str, actual: object, expected: object, *, rel_tol: float = 1e-6) -> None:
    """Assert that ``actual`` equals ``expected`` in type structure and value.

    Prints a pass line naming ``check_id``, or raises AssertionError naming it
    and the kind of value expected.
    """
    if type(check_id) is not str or not check_id:
        raise TypeError("check_id must be a non-empty str such as 'a3_union_objections.q1.1'")
    validate_expected(expected)
    problem = mismatch(actual, expected, rel_tol=rel_tol)
    if problem is not None:
        raise AssertionError(f"check {check_id} failed: {problem}")
    print(f"check {check_id} passed")
