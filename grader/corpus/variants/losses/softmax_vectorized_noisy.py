"""softmax_loss_vectorized, correct, that prints, warns and writes to the stderr descriptor while it works."""
import os
import sys
import warnings

import numpy as np


def softmax_loss_vectorized(W, X, y, reg):
    print("computing the softmax loss")
    print("debug: shapes", W.shape, X.shape, file=sys.stderr)
    warnings.warn("this is only a test of warnings")
    os.write(2, b"raw bytes on file descriptor 2\n")
    np.log(np.zeros(1))  # a harmless RuntimeWarning: divide by zero
    num_train = X.shape[0]
    scores = X @ W
    scores = scores - scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(num_train), y].mean() + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(num_train), y] -= 1
    return loss, X.T @ dscores / num_train + 2 * reg * W
