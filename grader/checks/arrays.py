"""Validating an array or a number a student's function returned: one order of questions for every check.

Returned at all (not None), then convertible to numbers, then of the required shape, then (when asked)
real-valued and of a float dtype. The first question that fails becomes the Failure the student reads,
so a missing `return` is never reported as a wrong shape.
"""

from __future__ import annotations

from typing import Callable, Union

import numpy as np

from ..outcome import Failure
from .problems import brief

FORGOT_RETURN = "did you forget the `return`?"

ShapeCause = Union[str, Callable[[tuple], str]]   # the cause, or got_shape -> the cause


def returned_array(value, shape: tuple[int, ...], what: str, *, expected: str | None = None,
                   none_cause: str = FORGOT_RETURN, shape_cause: ShapeCause = "", transposed: bool = False,
                   keep_dtype: bool = False, integer_cause: str | None = None,
                   show_value: bool = False) -> np.ndarray:
    """`value` as a float64 array of exactly `shape`, or a Failure that says why not.

    what: the value's name in feedback ("dW"); the expected texts are "<what> as a numpy array of shape
      <shape>" and "<what> of shape <shape>", or `expected` for both when given.
    shape_cause: why the shape is wrong (a text, or a function of the shape that came back);
      transposed: a 2-D value with the axes swapped is reported as "<what> is transposed" instead.
    keep_dtype: an ndarray is not converted, so a complex or object array fails "of real numbers"
      rather than being cast; integer_cause (with keep_dtype): an integer array fails "of floats".
    show_value: the Failure for a value that is no array of numbers shows its first characters.
    """
    as_array = expected or f"{what} as a numpy array of shape {shape}"
    if value is None:
        raise Failure(as_array, "None", none_cause)
    if not (keep_dtype and isinstance(value, np.ndarray)):
        try:
            value = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            got = f"{type(value).__name__} {brief(value, 60)}" if show_value else f"{type(value).__name__}"
            raise Failure(as_array, got) from None
    if value.shape != shape:
        if transposed and len(shape) == 2 and value.shape == shape[::-1]:
            cause = f"{what} is transposed"
        else:
            cause = shape_cause(value.shape) if callable(shape_cause) else shape_cause
        raise Failure(expected or f"{what} of shape {shape}", f"shape {value.shape}", cause)
    if keep_dtype:
        if not np.issubdtype(value.dtype, np.number) or np.issubdtype(value.dtype, np.complexfloating):
            raise Failure(f"{expected or what} of real numbers", f"dtype {value.dtype}")
        if integer_cause is not None and not np.issubdtype(value.dtype, np.floating):
            raise Failure(f"{expected or what} of floats", f"dtype {value.dtype}", integer_cause)
    return value.astype(np.float64, copy=False)


def returned_number(value, what: str, *, array_cause: str = "", expected: str | None = None,
                    sequences: bool = False, number_expected: str | None = None,
                    none_cause: str = "") -> float:
    """`value` (a number, a 0-d or one-entry array) as a float, or a Failure that says why not.

    An array of more than one entry (and, with sequences=True, any list or tuple) fails "<what> as one
    number" (or `expected`) with `array_cause`, which says how to reduce it; a value that is no number
    fails "<what> as a number" (or `number_expected`), with `none_cause` when the value is None.
    """
    one = expected or f"{what} as one number"
    if isinstance(value, np.ndarray) and value.size != 1:
        raise Failure(one, f"an array of shape {value.shape}", array_cause)
    if sequences and isinstance(value, (list, tuple)):
        raise Failure(one, f"a {type(value).__name__}", array_cause)
    try:
        return float(np.asarray(value, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        raise Failure(number_expected or f"{what} as a number", f"{type(value).__name__} {brief(value, 60)}",
                      none_cause if value is None else "") from None
