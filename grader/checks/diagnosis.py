"""Likely causes, in the lecture's terms: which known mistake reproduces the wrong answer exactly.

Each candidate is what a specific, commonly made mistake would return on the same inputs. When the
student's result equals one of them (and not the correct one), that mistake is named.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..numerics import relative_error
from .closeness import close
from .mistakes import matching_mistake
from .problems import Problem

LossFn = Callable[..., tuple[float, np.ndarray]]

SVM_COEFFICIENT = ("the true class's column must get -x_i once for every class j whose margin is positive "
                   "(-(number of positive margins) * x_i), and each such class +x_i")
SOFTMAX_MINUS_ONE = "the gradient is missing the -1 at the true class: dscores[range(N), y] -= 1 before X.T @ dscores"


def _loss_candidates(ref: LossFn, p: Problem, kind: str) -> list[tuple[float, str]]:
    W, X, y, reg = p.args()
    n = X.shape[0]
    data = ref(W, X, y, 0.0)[0]
    R = float(np.sum(W * W))
    out = [
        (data, "the regularization term is missing from the loss: add reg * np.sum(W * W)"),
        (data + 0.5 * reg * R, "the regularization is 0.5 * reg * sum(W * W); this course uses reg * np.sum(W * W)"),
        (n * data + reg * R, "the data loss is summed over the examples: divide it by N (the loss is a mean)"),
        (n * (data + reg * R), "the loss is not divided by N (the data loss is a mean over the examples)"),
        (data + n * reg * R, "the regularization is added once per example: add it once, outside the loop"),
        (data + reg * np.sqrt(R), "the regularization uses the norm of W; the L2 penalty is reg * np.sum(W * W)"),
    ]
    if kind == "svm":
        k = W.shape[1]
        out += [
            (data + 1 + reg * R, "every example adds 1: the sum over classes must skip j = y_i"),
            (data / (k - 1) + reg * R if k > 1 else np.nan, "the loss is averaged over the classes; sum over j != y_i"),
        ]
    return out


def _same_loss(a: float, b: float) -> bool:
    return close(a, b, 1e-6, 1e-6)   # 1e-6 relative to b, or 1e-6 absolute for a loss below 1


def diagnose_loss(ref: LossFn, p: Problem, got: float, kind: str) -> str:
    expected = ref(*p.args())[0]
    cause = matching_mistake(got, expected, _loss_candidates(ref, p, kind), _same_loss)
    if cause:
        return cause
    if got < 0:
        return "a loss is never negative: check the max(0, .) of the hinge or the sign of -log p"
    return ""


def _svm_gradient_variants(p: Problem) -> list[tuple[np.ndarray, str]]:
    W, X, y, reg = p.args()
    n = X.shape[0]
    scores = X @ W
    margins = scores - scores[np.arange(n), y][:, None] + 1.0
    margins[np.arange(n), y] = 0.0
    positive = (margins > 0).astype(np.float64)
    G = 2 * reg * W
    once = positive.copy()
    once[np.arange(n), y] = -1.0 * (positive.sum(axis=1) > 0)
    never = positive.copy()
    never[np.arange(n), y] = 0.0
    every = positive.copy()
    every[np.arange(n), y] = -(W.shape[1] - 1)
    return [
        (X.T @ once / n + G, SVM_COEFFICIENT),
        (X.T @ never / n + G, SVM_COEFFICIENT),
        (X.T @ every / n + G, SVM_COEFFICIENT),
    ]


def _softmax_gradient_variants(p: Problem) -> list[tuple[np.ndarray, str]]:
    W, X, y, reg = p.args()
    n = X.shape[0]
    scores = X @ W
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    return [(X.T @ probs / n + 2 * reg * W, SOFTMAX_MINUS_ONE)]


def diagnose_gradient(ref: LossFn, p: Problem, got: np.ndarray, kind: str) -> str:
    W, X, y, reg = p.args()
    n = X.shape[0]
    full = ref(W, X, y, reg)[1]
    G = 2 * reg * W
    data = full - G
    candidates = [
        (data, "the regularization gradient is missing: add 2 * reg * W"),
        (data + reg * W, "the regularization gradient is reg * W; the derivative of reg * sum(W * W) is 2 * reg * W"),
        (n * data + G, "dW is not divided by N (the data loss is a mean, so is its gradient)"),
        (n * full, "dW is not divided by N (the data loss is a mean, so is its gradient)"),
        (data + n * G, "the regularization gradient is added once per example: add 2 * reg * W once"),
        (-full, "the gradient has the wrong sign"),
    ]
    candidates += _svm_gradient_variants(p) if kind == "svm" else _softmax_gradient_variants(p)
    cause = matching_mistake(got, full, candidates, lambda a, b: relative_error(a, b) <= 1e-6)
    if cause:
        return cause
    if kind == "svm":
        return "compare your dW column by column with the lecture's gradient: " + SVM_COEFFICIENT
    return "dW = X.T @ (probabilities - one_hot(y)) / N + 2 * reg * W"
