"""Reference gradient checking in CS231n's conventions: centered differences that perturb x in place
and restore it, CS231n's entry-wise relative error, and the sparse gradient check.

The checks of the gradients notebook compare the student's answers with these, and use the one-sided
variants below to name a mistake (forward differences) when a student's numbers match them exactly.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..numerics import centered_difference

Fn = Callable[[np.ndarray], float]


def eval_numerical_gradient(f: Fn, x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centered differences at every entry of x (any shape, floats). Perturbs x in place and
    restores each entry exactly, so closures over x work; returns a new float array of x's shape."""
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        grad[ix] = centered_difference(f, x, ix, h)
    return grad


def one_sided_gradient(f: Fn, x: np.ndarray, h: float = 1e-5, forward: bool = True) -> np.ndarray:
    """Forward (f(x + h e_i) - f(x)) / h or backward (f(x) - f(x - h e_i)) / h differences, on a copy."""
    x = np.array(x, dtype=np.float64, copy=True)
    f0 = float(f(x))
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h if forward else old - h
        fx = float(f(x))
        x[ix] = old
        grad[ix] = (fx - f0) / h if forward else (f0 - fx) / h
    return grad


def rel_error(x, y) -> float:
    """CS231n's relative error: max over entries of |x - y| / max(1e-8, |x| + |y|)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))


def pointwise_error(numeric: float, analytic: float) -> float:
    """|n - a| / (|n| + |a|), the error grad_check_sparse reports for one entry (0 when both are 0)."""
    denom = abs(numeric) + abs(analytic)
    return 0.0 if denom == 0 else abs(numeric - analytic) / denom


def grad_check_sparse(f: Fn, x: np.ndarray, analytic_grad: np.ndarray, num_checks: int = 10,
                      h: float = 1e-5, seed=None) -> list[float]:
    """The relative errors |n - a| / (|n| + |a|) at `num_checks` random entries of x (drawn with
    np.random.default_rng(seed), with replacement); x is perturbed in place and restored."""
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(int(rng.integers(m)) for m in x.shape)
        numeric = centered_difference(f, x, ix, h)
        errors.append(pointwise_error(numeric, float(analytic_grad[ix])))
    return errors
