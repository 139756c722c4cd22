"""Trusted numerics: centered-difference gradients and relative errors."""

from __future__ import annotations

from typing import Callable

import numpy as np


def centered_difference(f: Callable[[np.ndarray], float], x: np.ndarray, ix, h: float = 1e-5) -> float:
    """(f(x + h e_ix) - f(x - h e_ix)) / 2h at one index `ix` of x; x is perturbed and restored exactly."""
    old = x[ix]
    x[ix] = old + h
    plus = float(f(x))
    x[ix] = old - h
    minus = float(f(x))
    x[ix] = old
    return (plus - minus) / (2 * h)


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """Centered differences for every entry of x (any shape); returns an array of the same shape.

    Works on a private copy, so the caller's x is never touched (unlike CS231n's in-place version).
    """
    x = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        grad[ix] = centered_difference(f, x, ix, h)
    return grad


def relative_error(got: np.ndarray, expected: np.ndarray) -> float:
    """||got - expected|| / (||got|| + ||expected||), 0 when both are 0.

    A norm-wise error rather than CS231n's entry-wise maximum: entries where both gradients are ~0
    (a class no example pushes on) make entry-wise ratios meaningless noise.
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    denom = np.linalg.norm(got) + np.linalg.norm(expected)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(got - expected) / denom)


def values_close(got: float, expected: float, rel: float, abs_tol: float = 1e-9) -> bool:
    return bool(np.isfinite(got)) and abs(got - expected) <= max(abs_tol, rel * abs(expected))
