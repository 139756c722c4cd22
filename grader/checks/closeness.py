"""The one meaning of "close" for every check that compares a student's value with the expected one.

    close(got, want, rel, floor)  <=>  got has want's shape, every entry of got is finite, and
                                       max |got - want| <= max(floor, rel * max |want|)

The largest difference of any entry against the largest expected entry: relative to the scale of the
whole array, so an entry whose expected value is ~0 does not turn rounding into a difference, while
`floor` bounds every entry on its own (a histogram may differ by one pixel in each bin). For a scalar
it is numerics.values_close. `rel` is a policy tolerance (course.yaml's `tolerances`) where one
applies; `floor` absorbs rounding when want is ~0.

Gradients are compared in norm, as CS231n's gradient checks do:

    close_in_norm(got, want, rel, floor)  <=>  ||got - want|| / (||got|| + ||want||) <= rel
                                               (numerics.relative_error), or max |got - want| <= floor

It has no shape test of its own (the gradient's shape is validated before any comparison); a
non-finite entry is never close.
"""

from __future__ import annotations

import numpy as np

from ..numerics import relative_error


def close(got, want, rel: float, floor: float = 0.0) -> bool:
    """Whether `got` (array or scalar) equals `want` up to `rel`, relative, or `floor`, absolute; a
    non-finite entry in got, or another shape, is never close."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape or not np.all(np.isfinite(got)):
        return False
    if got.size == 0:
        return True
    return bool(np.max(np.abs(got - want)) <= max(floor, rel * np.max(np.abs(want))))


def close_in_norm(got, want, rel: float, floor: float = 0.0) -> bool:
    """Whether `got` is within relative error `rel` of `want`, in norm (numerics.relative_error), or
    every entry within `floor` of it."""
    return relative_error(got, want) <= rel or float(np.max(np.abs(np.subtract(got, want)), initial=0.0)) <= floor
