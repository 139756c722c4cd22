"""The one meaning of "close" for every check that compares a student's value with the expected one.

    close(got, want, rel, floor)  <=>  got has want's shape, every entry of got is finite, and
                                       ||got - want|| <= max(floor, rel * ||want||)

The norm is the Euclidean norm over all entries (the absolute value for a scalar). Norm-wise, like the
gradient checks' relative error (DESIGN.md principle 3): entries where the expected value is ~0 do not
turn rounding into a difference. For a scalar it is numerics.values_close. `rel` is a policy tolerance
(course.yaml's `tolerances`) where one applies; `floor` absorbs rounding when want is ~0.
"""

from __future__ import annotations

import numpy as np


def close(got, want, rel: float, floor: float = 0.0) -> bool:
    """Whether `got` (array or scalar) equals `want` up to `rel`, relative, or `floor`, absolute; a
    non-finite entry in got, or another shape, is never close."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape or not np.all(np.isfinite(got)):
        return False
    return bool(np.linalg.norm(got - want) <= max(floor, rel * np.linalg.norm(want)))
