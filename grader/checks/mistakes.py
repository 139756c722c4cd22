"""Diagnosis by known mistakes: which commonly made mistake reproduces the student's wrong result.

Each candidate is what one specific mistake returns on the same inputs, with the cause the feedback
gives for it, in the lecture's terms. A candidate is evidence only when it differs from the correct
result, so a mistake that happens to give the right answer on these inputs is never named; and no
mistake is named when the result is the correct one.
"""

from __future__ import annotations

from typing import Callable, Iterable, Union

import numpy as np

Candidate = Union[object, Callable[[], object]]   # a value, or a function computing it (may raise)


def matching_mistake(got, expected, candidates: Iterable[tuple[Candidate, str]],
                     same: Callable[[object, object], bool],
                     correct: Callable[[object, object], bool] | None = None) -> str:
    """The cause of the first candidate that `same` finds equal to `got` and not to `expected`, or "".

    candidates: (value or zero-argument function, cause) pairs, most specific first. A function that
      raises (a mistake that does not apply to these inputs), a value of another shape than got, or a
      value with a non-finite entry is skipped. Candidates are computed with numpy's warnings off.
    same(a, b): the comparison, with the tolerance that tells two results apart here.
    correct(a, expected): whether a result counts as the correct one (default: `same`); a looser test
      than `same` when a candidate must be clearly wrong to be evidence.
    expected: the correct result, or None when it is not known (then no candidate is ruled out by it).
    """
    def comparable(value) -> bool:
        if value is None or np.shape(value) != np.shape(got):
            return False
        try:
            return bool(np.all(np.isfinite(np.asarray(value, dtype=np.float64))))
        except (TypeError, ValueError):
            return False

    correct = correct or same
    known = expected is not None and comparable(expected)
    if known and correct(got, expected):
        return ""
    for candidate, cause in candidates:
        with np.errstate(all="ignore"):
            try:
                value = candidate() if callable(candidate) else candidate
            except Exception:  # noqa: BLE001 - a mistake that does not apply to these inputs
                continue
        if not comparable(value):
            continue
        if known and correct(value, expected):
            continue
        if same(got, value):
            return cause
    return ""
