"""Unit tests for coopcourse.grading.checks.check: strict type and value comparison."""

from __future__ import annotations

import math
import re

import pytest

from coopcourse.grading.checks import check, mismatch


class AlwaysEqual:
    """An object that claims to equal everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class SneakyStr(str):
    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class SneakyInt(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class SneakyFloat(float):
    pass


class SneakyList(list):
    def __eq__(self, other):
        return True


def test_passes_on_exact_match_of_nested_values():
    value = {"a": [1, 2.5, ("x", None, True)], "b": {1, 2}, "c": frozenset({"p"})}
    check(
        "t.nested.1", value, {"a": [1, 2.5, ("x", None, True)], "b": {2, 1}, "c": frozenset({"p"})}
    )


def test_floats_use_relative_tolerance():
    check("t.float.1", 0.1 + 0.2, 0.3)
    check("t.float.2", 100.00001, 100.0, rel_tol=1e-6)
    with pytest.raises(AssertionError):
        check("t.float.3", 100.1, 100.0)


def test_float_rounding_noise_near_zero_passes():
    check("t.float.zero", 0.1 + 0.2 - 0.3, 0.0)


@pytest.mark.parametrize(
    "actual, expected",
    [
        (AlwaysEqual(), 3),
        (AlwaysEqual(), "answer"),
        (AlwaysEqual(), [1, 2]),
        (SneakyStr("wrong"), "answer"),
        (SneakyStr("answer"), "answer"),
        (SneakyInt(4), 3),
        (SneakyInt(3), 3),
        (SneakyFloat(1.5), 1.5),
        (SneakyList([1]), [1]),
        ([AlwaysEqual()], [1]),
        ({"k": AlwaysEqual()}, {"k": "v"}),
        ({AlwaysEqual()}, {1}),
        ((1, SneakyStr("b")), (1, "b")),
    ],
)
def test_crafted_objects_and_subclasses_fail(actual, expected):
    with pytest.raises(AssertionError):
        check("t.crafted", actual, expected)


@pytest.mark.parametrize(
    "actual, expected",
    [
        (True, 1),
        (1, True),
        (0, False),
        (False, 0),
        (1, 1.0),
        (1.0, 1),
        ([True], [1]),
        ({1: "a"}, {True: "a"}),
    ],
)
def test_bool_int_and_float_are_distinct(actual, expected):
    with pytest.raises(AssertionError):
        check("t.types", actual, expected)


def test_list_and_tuple_and_set_and_frozenset_are_distinct():
    for actual, expected in [
        ([1], (1,)),
        ((1,), [1]),
        ({1}, frozenset({1})),
        ({"a": 1}, [("a", 1)]),
    ]:
        with pytest.raises(AssertionError):
            check("t.containers", actual, expected)


def test_nan_matches_only_nan():
    check("t.nan.1", math.nan, float("nan"))
    with pytest.raises(AssertionError):
        check("t.nan.2", math.nan, 1.0)
    with pytest.raises(AssertionError):
        check("t.nan.3", 1.0, math.nan)


def test_infinity():
    check("t.inf.1", math.inf, math.inf)
    with pytest.raises(AssertionError):
        check("t.inf.2", -math.inf, math.inf)


def test_wrong_lengths_keys_and_elements_fail():
    for actual, expected in [
        ([1, 2], [1, 2, 3]),
        ({"a": 1}, {"a": 1, "b": 2}),
        ({"a": 1, "c": 2}, {"a": 1, "b": 2}),
        ({1, 2}, {1, 3}),
        ([[1, 2], [3]], [[1, 2], [4]]),
    ]:
        with pytest.raises(AssertionError):
            check("t.shape", actual, expected)


SECRET = "the-secret-answer-7731"


@pytest.mark.parametrize(
    "actual, expected",
    [
        ("wrong", SECRET),
        (3, SECRET),
        ([1, "nope"], [1, SECRET]),
        ({"k": "nope"}, {"k": SECRET}),
        ({"nope"}, {SECRET}),
        ((SECRET + "x",), (SECRET,)),
        (7731.5, 7731.25),
        (7731, 7732),
        ([1, 2], [1, 2, 7731]),
    ],
)
def test_message_names_check_and_kind_but_never_expected_value(actual, expected):
    with pytest.raises(AssertionError) as caught:
        check("a9.q2.3", actual, expected)
    message = str(caught.value)
    assert message.startswith("check a9.q2.3 failed:")
    assert SECRET not in message
    assert "7731.25" not in message and "7732" not in message
    assert repr(expected) not in message


def test_message_says_what_kind_was_expected():
    with pytest.raises(AssertionError, match=r"expected a float, got a str"):
        check("t.kind", "1.5", 1.5)
    with pytest.raises(AssertionError, match=r"expected an int at \[1\], got a bool"):
        check("t.kind", [1, True], [1, 2])


def test_crafted_object_methods_are_never_called():
    calls: list[str] = []

    class Spy:
        def __eq__(self, other):
            calls.append("eq")
            return True

        def __len__(self):
            calls.append("len")
            return 1

        def __iter__(self):
            calls.append("iter")
            return iter([1])

        def __repr__(self):
            calls.append("repr")
            return "1"

        __hash__ = object.__hash__

    with pytest.raises(AssertionError):
        check("t.spy", Spy(), [1])
    with pytest.raises(AssertionError):
        check("t.spy", [Spy()], [1])
    assert calls == []


def test_unsupported_expected_value_is_an_authoring_error():
    with pytest.raises(TypeError):
        check("t.bad", 1, object())
    with pytest.raises(TypeError):
        check("t.bad", [1], [b"bytes"])


def test_check_id_must_be_a_string():
    with pytest.raises(TypeError):
        check(3, 1, 1)  # type: ignore[arg-type]


def test_mismatch_returns_none_on_match_and_text_otherwise():
    assert mismatch([1, "a"], [1, "a"]) is None
    assert "expected a str" in mismatch([1, 2], [1, "a"])


def test_check_needs_only_the_standard_library():
    # Learners import check() in every exercise; it must not pull in instructor tools.
    import subprocess
    import sys

    code = (
        "import sys, coopcourse.grading.checks\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('nbgrader', 'traitlets', 'nbformat', 'jupyter_client', 'yaml', 'matplotlib')]\n"
        "print(heavy)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda n: list(range(n)), [0, 1, 2]),
        (lambda n: tuple(range(n)), (0, 1, 2)),
        (lambda n: set(range(n)), {0, 1, 2}),
        (lambda n: frozenset(range(n)), frozenset({0, 1, 2})),
        (lambda n: {"k": ["x"] * n}, {"k": ["x", "x", "x"]}),
        (lambda n: [1, [0] * n], [1, [0, 0, 0]]),
    ],
)
def test_message_is_the_same_for_every_wrong_length(make, expected):
    """A later check's answer could encode a hidden input in its length (a list of
    7 items for the input 7): the feedback must read the same for every wrong length."""
    messages = {mismatch(make(n), expected) for n in range(60) if n != 3}
    assert len(messages) == 1
    (message,) = messages
    outside_positions = re.sub(r"\[[^\]]*\]", "", message)  # positions are expected's own
    assert not any(character.isdigit() for character in outside_positions), message


def test_message_never_names_a_type_of_the_learners_choosing():
    # A class can be named after anything, a hidden input included.
    chosen = type("Input_7731", (), {"__hash__": object.__hash__})
    for actual, expected in [
        (chosen(), 3),
        ([1, chosen()], [1, 2]),
        ({chosen(): 1}, {"a": 1}),
    ]:
        message = mismatch(actual, expected)
        assert message is not None
        assert "7731" not in message and "Input" not in message, message
    assert mismatch(chosen(), 3) == "expected an int, got a value of another type"
