"""svm_loss_naive, correct, counting the positive margins per example for the true class's column."""
import numpy as np


def svm_loss_naive(W, X, y, reg):
    N, C = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W, dtype=np.float64)
    for i in range(N):
        s = X[i] @ W
        positive = 0
        for j in range(C):
            if j != y[i]:
                m = s[j] - s[y[i]] + 1.0
                if m > 0:
                    loss += m
                    positive += 1
                    dW[:, j] += X[i]
        dW[:, y[i]] -= positive * X[i]
    return loss / N + reg * np.sum(W ** 2), dW / N + 2.0 * reg * W
