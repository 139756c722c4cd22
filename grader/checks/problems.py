"""Concrete inputs for checks: linear-classifier problems, optionally kept away from hinge kinks."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


# The lecture's cat / car / frog example: rows are images, columns the classes cat, car, frog.
LECTURE_SCORES = np.array([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]])
LECTURE_LABELS = np.array([0, 1, 2])
LECTURE_HINGE_LOSSES = np.array([2.9, 0.0, 12.9])


def fmt(a) -> str:
    """An array or value for feedback. What the student's code returned can be large (see `brief`):
    an array numpy would print in full beyond MAX_SHOWN numbers is shown by its shape and first values."""
    if isinstance(a, np.ndarray):
        if _numbers_printed(a) > MAX_SHOWN:
            return _array_summary(a, precision=4)
        return np.array2string(a, precision=4, suppress_small=True, separator=", ", max_line_width=100)
    return brief(a, 2000)


MAX_SHOWN = 5000   # numbers of one array in feedback: numpy shows at most 6 per axis of a large array,
                   # which for 5 or more axes is more than anyone reads


def brief(value, width: int = 60) -> str:
    """The first `width` characters of repr(value), at a cost that grows with `width`, never with the
    value's size: a student's function can return a list of 100,000 numbers, a 64 KB string or a
    many-axis array, and `f"{value!r:.60}"` would build their whole repr first. For plain data the
    text is the same as that; a repr that raises shows the type's name."""
    return _prefix(value, width + 1, 0)[:width]


def _prefix(value, budget: int, depth: int) -> str:
    """A prefix of repr(value) of at least `budget` characters (all of it if shorter)."""
    kind = type(value)
    if kind in (list, tuple, dict):
        if depth > 30:
            return "..."
        opener, closer = {list: "[]", tuple: "()", dict: "{}"}[kind]
        parts, used = [opener], 1
        for i, item in enumerate(value.items() if kind is dict else value):
            if used >= budget:
                return "".join(parts)
            if i:
                parts.append(", ")
                used += 2
            if kind is dict:
                key = _prefix(item[0], budget - used, depth + 1)
                text = key + ": " + _prefix(item[1], budget - used - len(key) - 2, depth + 1)
            else:
                text = _prefix(item, budget - used, depth + 1)
            parts.append(text)
            used += len(text)
        if kind is tuple and len(value) == 1:
            parts.append(",")
        return "".join(parts) + closer
    if kind is str:
        return repr(value[:max(budget, 0)]) if len(value) > budget else repr(value)
    if isinstance(value, np.ndarray) and _numbers_printed(value) > MAX_SHOWN:
        return _array_summary(value)
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - in the student's kernel, a repr of the student's own
        return f"<{type(value).__name__} object>"
    return text if type(text) is str else f"<{type(value).__name__} object>"


def _numbers_printed(a: np.ndarray) -> int:
    """How many numbers numpy's printing shows of `a` with the current print options."""
    options = np.get_printoptions()
    if a.size <= options["threshold"]:
        return a.size
    shown = 1
    for n in a.shape:
        shown *= min(n, 2 * options["edgeitems"])
    return shown


def _array_summary(a: np.ndarray, precision: int | None = None) -> str:
    first = np.array2string(a.ravel()[:6], precision=precision, separator=", ")
    return f"array of shape {a.shape} and dtype {a.dtype}, starting {first[:-1]}, ...]"


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

