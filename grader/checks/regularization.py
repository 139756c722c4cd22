"""What the checks of regularization.ipynb share: validating a (value, gradient) pair and an array,
when two values or gradients are the same, and diagnosis by known mistakes.

Each family's checks live in a module of their own: regularizers (L2, L1 and the elastic net, which
builds on them), regularized_loss, ridge. The lecture's w1 / w2 questions are in questions.py's table.
"""

from __future__ import annotations


import numpy as np

from ..outcome import Failure
from .arrays import returned_array, returned_number
from .calls import require_callable
from .closeness import close, close_in_norm
from .mistakes import matching_mistake
from .problems import brief, fmt

# -- validating what comes back ---------------------------------------------------------------------


def _scalar(value, what: str) -> float:
    return returned_number(value, what, array_cause=(
        "R is one number: sum over every entry of W (np.sum without an axis)" if what == "R" else
        f"{what} is one number: the data loss (a number) plus the penalty R (a number)"))


def result_array(value, shape: tuple[int, ...], what: str, cause: str) -> np.ndarray:
    return returned_array(value, shape, what, none_cause=f"did you forget to return {what}?",
                          shape_cause=cause, transposed=True)


def value_and_gradient(out, first: str, second: str, shape: tuple[int, ...]) -> tuple[float, np.ndarray]:
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise Failure(f"a tuple ({first}, {second})", f"{type(out).__name__} {brief(out, 60)}",
                      f"return both the value and its gradient: `return {first}, {second}`")
    return _scalar(out[0], first), result_array(out[1], shape, second,
                                                f"{second} has one entry per weight: the shape of W")


def compact(a: np.ndarray) -> str:
    """A small array on one line (feedback lines stay readable); nothing for a large one."""
    return "; dR = " + " ".join(fmt(a).split()) if a.size <= 12 else ""


# A known mistake explains an answer when it reproduces the answer's value (penalty or loss) within
# 1e-6, the course's default value tolerance, or its gradient up to rounding.
MISTAKE_VALUE_REL, MISTAKE_GRADIENT_REL = 1e-6, 1e-9


def same_value(got: float, want: float, rel: float) -> bool:
    """Two values of a penalty or a loss: equal up to `rel` (course.yaml's value_rel_error, or a tighter
    one where only rounding may differ), or 1e-9 apart near 0."""
    return close(got, want, rel, 1e-9)


def same_gradient(got: np.ndarray, want: np.ndarray, rel: float) -> bool:
    """Two gradients: within relative error `rel` (course.yaml's gradient_rel_error, or a tighter one),
    or every entry within 1e-12, so that underflow in tiny weights (Hypothesis draws them) does not
    count as a difference."""
    return close_in_norm(got, want, rel, 1e-12)


def known_cause(got, expected, candidates, scalar: bool) -> str:
    """The cause of the first candidate mistake that reproduces `got` (and differs from `expected`)."""
    if scalar:
        with np.errstate(all="ignore"):
            candidates = [(float(candidate), cause) for candidate, cause in candidates]
        return matching_mistake(got, expected, candidates, lambda a, b: same_value(a, b, MISTAKE_VALUE_REL))
    return matching_mistake(got, expected, candidates, lambda a, b: same_gradient(a, b, MISTAKE_GRADIENT_REL))


def not_a_function(ctx, fn, name, n):
    return ctx.run("the answer is a function", lambda: require_callable(fn, name), n)
