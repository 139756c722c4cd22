"""The toolkit every check uses: array validation, "close", diagnosis by known mistakes, and
"inputs left unmodified". Each test pins one part of a helper's contract, so a wrong implementation
(a reordered question, a swapped comparison, a lost copy) fails here before it changes any grade."""

from __future__ import annotations

import numpy as np
import pytest

from grader.checks.arrays import FORGOT_RETURN, returned_array, returned_number
from grader.checks.closeness import close, close_in_norm
from grader.checks.mistakes import matching_mistake
from grader.checks.unmodified import require_unmodified
from grader.outcome import Failure


def failure(fn, *args, **kwargs) -> Failure:
    with pytest.raises(Failure) as caught:
        fn(*args, **kwargs)
    return caught.value


# -- returned_array -------------------------------------------------------------------------------

def test_returned_array_converts_a_list_to_float64_of_the_shape():
    out = returned_array([[1, 2], [3, 4]], (2, 2), "dW")
    assert out.dtype == np.float64 and out.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_returned_array_none_asks_for_the_return_before_anything_else():
    f = failure(returned_array, None, (2,), "R")
    assert (f.expected, f.got, f.cause) == ("R as a numpy array of shape (2,)", "None", FORGOT_RETURN)
    assert failure(returned_array, None, (2,), "R", none_cause="return R").cause == "return R"


def test_returned_array_names_the_type_of_a_value_that_is_no_array_of_numbers():
    assert failure(returned_array, "abc", (2,), "R").got == "str"
    assert failure(returned_array, "abc", (2,), "R", show_value=True).got == "str 'abc'"


def test_returned_array_shape_cause_text_callable_and_transposed():
    f = failure(returned_array, np.zeros((3, 2)), (2, 3), "dW", shape_cause="one entry per weight")
    assert (f.expected, f.got, f.cause) == ("dW of shape (2, 3)", "shape (3, 2)", "one entry per weight")
    assert failure(returned_array, np.zeros((3, 2)), (2, 3), "dW", transposed=True).cause == "dW is transposed"
    assert failure(returned_array, np.zeros(4), (2, 3), "dW", transposed=True,
                   shape_cause=lambda s: f"got {s}").cause == "got (4,)"


def test_returned_array_expected_replaces_both_texts():
    assert failure(returned_array, None, (2,), "g", expected="a gradient").expected == "a gradient"
    assert failure(returned_array, np.zeros(3), (2,), "g", expected="a gradient").expected == "a gradient"


def test_returned_array_keep_dtype_rejects_complex_and_optionally_integers():
    f = failure(returned_array, np.zeros(2, dtype=complex), (2,), "p", keep_dtype=True)
    assert (f.expected, f.got) == ("p of real numbers", "dtype complex128")
    assert returned_array(np.arange(2), (2,), "p", keep_dtype=True).dtype == np.float64
    f = failure(returned_array, np.arange(2), (2,), "p", keep_dtype=True, integer_cause="use floats")
    assert (f.expected, f.cause) == ("p of floats", "use floats")


# -- returned_number ------------------------------------------------------------------------------

def test_returned_number_accepts_a_number_a_numpy_scalar_and_a_one_entry_array():
    assert returned_number(2, "the loss") == 2.0
    assert returned_number(np.float32(0.5), "the loss") == 0.5
    assert returned_number(np.array([[3.0]]), "the loss") == 3.0


def test_returned_number_explains_an_array_of_several_entries():
    f = failure(returned_number, np.zeros(3), "the loss", array_cause="take the mean")
    assert (f.expected, f.got, f.cause) == ("the loss as one number", "an array of shape (3,)", "take the mean")
    assert failure(returned_number, np.zeros(3), "x", expected="one number: the max").expected == "one number: the max"


def test_returned_number_sequences_and_values_that_are_no_number():
    assert returned_number([4.0], "x") == 4.0
    f = failure(returned_number, [4.0], "x", sequences=True, array_cause="np.max")
    assert (f.got, f.cause) == ("a list", "np.max")
    f = failure(returned_number, "abc", "R")
    assert (f.expected, f.got, f.cause) == ("R as a number", "str 'abc'", "")
    assert failure(returned_number, {}, "R", number_expected="one number").expected == "one number"


# -- close ----------------------------------------------------------------------------------------

def test_close_is_relative_to_the_largest_expected_entry_with_an_absolute_floor():
    assert close(1.0 + 5e-7, 1.0, 1e-6) and not close(1.0 + 2e-6, 1.0, 1e-6)
    assert close([1e-13, 0.0], [0.0, 0.0], 1e-6, floor=1e-12) and not close([1e-13, 0.0], [0.0, 0.0], 1e-6)
    assert close([4.0, 0.0 + 3e-6], [4.0, 0.0], 1e-6)       # 3e-6 against max |want| = 4
    assert not close([4.0, 5e-6], [4.0, 0.0], 1e-6)
    assert close([0.1, 0.1], [0.0, 0.2], 0.0, floor=0.1) and not close([0.1, 0.1], [0.0, 0.2], 0.0, floor=0.09)


def test_close_rejects_another_shape_and_non_finite_entries():
    assert not close([1.0, 1.0], [[1.0, 1.0]], 1e-6)
    assert not close([np.nan], [np.nan], 1e-6) and not close([np.inf], [1.0], 1e-6)


# -- matching_mistake -----------------------------------------------------------------------------

def same(a, b):
    return close(a, b, 1e-9, 1e-12)


def test_matching_mistake_names_the_first_candidate_equal_to_got():
    candidates = [(3.0, "off by two"), (2.0, "doubled"), (lambda: 2.0, "doubled again")]
    assert matching_mistake(2.0, 1.0, candidates, same) == "doubled"


def test_matching_mistake_names_nothing_for_a_correct_result_or_a_candidate_equal_to_expected():
    assert matching_mistake(1.0, 1.0, [(1.0, "no evidence")], same) == ""
    assert matching_mistake(2.0, 1.0, [(1.0, "no evidence"), (2.0, "real")], same) == "real"


def test_matching_mistake_skips_raising_non_finite_and_misshaped_candidates():
    def raises():
        raise ZeroDivisionError

    candidates = [(raises, "raises"), (np.array([np.nan, 2.0]), "nan"), (np.array([2.0]), "shape"),
                  (np.array([2.0, 2.0]), "right")]
    assert matching_mistake(np.array([2.0, 2.0]), np.array([1.0, 1.0]), candidates, same) == "right"


def test_matching_mistake_correct_is_a_separate_looser_test():
    def loose(a, b):
        return close(a, b, 1e-3)

    assert matching_mistake(1.00001, 1.0, [(1.00001, "tiny")], same) == "tiny"
    assert matching_mistake(1.00001, 1.0, [(1.00001, "tiny")], same, correct=loose) == ""


def test_matching_mistake_with_unknown_expected_rules_nothing_out():
    assert matching_mistake(1.0, None, [(1.0, "cause")], same) == "cause"


# -- require_unmodified ---------------------------------------------------------------------------

def test_require_unmodified_passes_copies_and_accepts_a_pure_function():
    x = np.arange(3.0)
    seen = []
    require_unmodified(lambda a: seen.append(a), {"x": x}, "cause")
    assert seen[0] is not x and np.array_equal(seen[0], x)


def test_require_unmodified_fails_when_an_input_is_written():
    def scale(x, y):
        y *= 2

    f = failure(require_unmodified, scale, {"x": np.ones(2), "y": np.ones(2)}, "work on copies")
    assert (f.expected, f.got, f.cause) == ("x and y left as they were", "an input changed by the call",
                                            "work on copies")
    f = failure(require_unmodified, lambda W, X, y: scale(X, y), {"W": np.ones(2), "X": np.ones(2), "y": np.ones(2)},
                "c")
    assert f.expected == "W, X and y left as they were"


def test_require_unmodified_texts_for_one_input_each_and_computed():
    def halve(x):
        x /= 2

    f = failure(require_unmodified, halve, {"W": np.ones(2)}, "c")
    assert (f.expected, f.got) == ("W left as it was", "W changed by the call")
    assert failure(require_unmodified, halve, {"points": np.ones(2)}, "c", they=True).expected == \
        "points left as they were"
    f = failure(require_unmodified, lambda a, b: halve(b), {"a": np.ones(2), "b": np.ones(2)}, "c", each=True)
    assert (f.expected, f.got) == ("b left as it was", "b changed by the call")
    f = failure(require_unmodified, halve, {"im": np.ones(2)}, lambda c: f"now {c['im'][0]}", got=lambda c: "halved")
    assert (f.got, f.cause) == ("halved", "now 0.5")


# -- close_in_norm ---------------------------------------------------------------------------------

def test_close_in_norm_is_the_relative_error_in_norm_or_an_absolute_floor():
    want = np.array([1.0, -2.0, 0.0])
    assert close_in_norm(want * (1 + 1e-8), want, 1e-6)
    assert not close_in_norm(want * 1.01, want, 1e-6)
    # every entry ~0: the relative error is large, the floor absorbs it
    assert not close_in_norm(np.array([1e-14, 0.0]), np.zeros(2), 1e-6)
    assert close_in_norm(np.array([1e-14, 0.0]), np.zeros(2), 1e-6, 1e-12)
    assert not close_in_norm(np.array([np.nan, -2.0, 0.0]), want, 1e-6, 1e-12)
    assert close_in_norm(np.zeros((0, 3)), np.zeros((0, 3)), 1e-6)

