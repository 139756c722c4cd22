"""Concrete inputs for checks: linear-classifier problems, optionally kept away from hinge kinks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


# The lecture's cat / car / frog example: rows are images, columns the classes cat, car, frog.
LECTURE_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
LECTURE_LABELS = np.array([0, 1, 2])
LECTURE_HINGE_LOSSES = np.array([2.9, 0.0, 12.9])


def fmt(a) -> str:
    if isinstance(a, np.ndarray):
        return np.array2string(a, precision=4, suppress_small=True, separator=", ", max_line_width=100)
    return repr(a)


@dataclass
class Problem:
    """Inputs of a loss function: W (D, C), X (N, D), y (N,), reg."""

    W: np.ndarray
    X: np.ndarray
    y: np.ndarray
    reg: float

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.X.shape[0], self.W.shape[0], self.W.shape[1]

    def args(self):
        """Fresh copies, so nothing the student's code does to them leaks into the next call."""
        return self.W.copy(), self.X.copy(), self.y.copy(), self.reg

    def describe(self) -> str:
        n, d, c = self.shape
        return "\n".join([f"N={n}, D={d}, C={c}, reg={self.reg!r}", f"W = {fmt(self.W)}",
                          f"X = {fmt(self.X)}", f"y = {fmt(self.y)}"])

    def where(self) -> str:
        n, d, c = self.shape
        return f"N={n}, D={d}, C={c}, reg={self.reg:g}"


def random_problem(rng: np.random.Generator, n: int, d: int, c: int, reg: float, w_scale: float = 0.5) -> Problem:
    X = rng.standard_normal((n, d))
    W = w_scale * rng.standard_normal((d, c))
    y = rng.integers(0, c, size=n)
    y[: min(n, c)] = np.arange(min(n, c))  # every class present when N allows
    rng.shuffle(y)
    return Problem(W, X, y, reg)


def kink_free_problem(rng: np.random.Generator, n: int, d: int, c: int, reg: float,
                      min_gap: float = 1e-2, w_scale: float = 0.5) -> Problem:
    """A problem whose SVM margins all stay at least `min_gap` away from 0, so that centered
    differences (h = 1e-5) never straddle a hinge and measure the true gradient."""
    for _ in range(1000):
        p = random_problem(rng, n, d, c, reg, w_scale)
        scores = p.X @ p.W
        margins = scores - scores[np.arange(n), p.y][:, None] + 1.0
        margins[np.arange(n), p.y] = np.inf
        if np.min(np.abs(margins)) >= min_gap:
            return p
    raise RuntimeError("no kink-free problem found")  # pragma: no cover - a bug in the grader


def scores_problem(scores: np.ndarray, y: np.ndarray, reg: float = 0.0) -> Problem:
    """X = I and W = scores: the loss functions then see exactly these scores."""
    scores = np.asarray(scores, dtype=np.float64)
    return Problem(scores.copy(), np.eye(scores.shape[0]), np.asarray(y), reg)

