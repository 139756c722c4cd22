"""Reference regularizers in CS231n's conventions: `R = reg * np.sum(W * W)` with gradient
`2 * reg * W` (L2), `R = reg * np.sum(np.abs(W))` with subgradient `reg * np.sign(W)` (L1, 0 at
W = 0), their elastic-net mix, the regularized loss, and the ridge polynomial fit."""

from __future__ import annotations

import numpy as np


def l2(W, reg):
    """L2 penalty reg * sum(W^2) of W of any shape; returns (R, dR) with dR = 2 * reg * W."""
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(W * W)), 2.0 * reg * W


def l1(W, reg):
    """L1 penalty reg * sum(|W|); returns (R, dR) with the subgradient dR = reg * sign(W) (0 at 0)."""
    W = np.asarray(W, dtype=np.float64)
    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)


def elastic_net(W, reg, l1_ratio=0.5):
    """l1_ratio * L1 + (1 - l1_ratio) * L2, both with strength reg; returns (R, dR)."""
    R1, dR1 = l1(W, reg)
    R2, dR2 = l2(W, reg)
    return l1_ratio * R1 + (1.0 - l1_ratio) * R2, l1_ratio * dR1 + (1.0 - l1_ratio) * dR2


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    """data_loss_fn(W, X, y) -> (loss, dW) plus regularizer(W, reg) -> (R, dR)."""
    data_loss, dW = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    return data_loss + R, dW + dR


def polynomial_features(x, degree):
    """(N,) -> (N, degree + 1): columns x^0, x^1, ..., x^degree."""
    return np.vander(np.asarray(x, dtype=np.float64), degree + 1, increasing=True)


def fit_polynomial_ridge(x, y, degree, lam):
    """Coefficients c (degree + 1,), c[k] for x^k, minimizing ||A c - y||^2 + lam * ||c||^2."""
    A = polynomial_features(x, degree)
    return np.linalg.solve(A.T @ A + lam * np.eye(degree + 1), A.T @ np.asarray(y, dtype=np.float64))
