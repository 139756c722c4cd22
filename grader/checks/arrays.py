"""Validating an array a student's function returned: one order of questions for every check.

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
