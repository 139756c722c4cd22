"""svm_loss_vectorized that still loops over the examples in Python (a per-row margin computation)."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    coeffs = np.zeros_like(scores)
    loss = 0.0
    for i in range(num_train):
        margins = np.maximum(0.0, scores[i] - scores[i, y[i]] + 1.0)
        margins[y[i]] = 0.0
        loss += margins.sum()
        coeffs[i] = margins > 0
        coeffs[i, y[i]] = -coeffs[i].sum()
    loss = loss / num_train + reg * np.sum(W * W)
    dW = X.T.dot(coeffs) / num_train + 2 * reg * W
    return loss, dW
