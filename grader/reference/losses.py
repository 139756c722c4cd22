"""Reference losses in CS231n's conventions: W (D, C), X (N, D), y (N,), mean data loss,
`reg * np.sum(W * W)` regularization with gradient `2 * reg * W`."""

from __future__ import annotations

import numpy as np


def hinge_losses(scores: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per-example multiclass SVM losses. scores (N, C), y (N,) -> (N,)."""
    n = scores.shape[0]
    margins = np.maximum(0.0, scores - scores[np.arange(n), y][:, None] + 1.0)
    margins[np.arange(n), y] = 0.0
    return margins.sum(axis=1)


def svm_loss(W, X, y, reg):
    """Mean multiclass SVM loss plus reg * sum(W^2); returns (loss, dW (D, C))."""
    n = X.shape[0]
    scores = X @ W
    margins = scores - scores[np.arange(n), y][:, None] + 1.0
    margins[np.arange(n), y] = 0.0
    positive = (margins > 0).astype(np.float64)
    loss = np.maximum(0.0, margins).sum() / n + reg * np.sum(W * W)
    positive[np.arange(n), y] = -positive.sum(axis=1)
    dW = X.T @ positive / n + 2 * reg * W
    return float(loss), dW


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax probabilities, max-shifted. scores (N, C) -> (N, C)."""
    shifted = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_loss(W, X, y, reg):
    """Mean cross-entropy loss plus reg * sum(W^2); returns (loss, dW (D, C))."""
    n = X.shape[0]
    scores = X @ W
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].sum() / n + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1.0
    dW = X.T @ dscores / n + 2 * reg * W
    return float(loss), dW
