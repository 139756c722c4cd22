"""svm_loss_vectorized uses margin (delta) 0 instead of 1."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X.dot(W)
    margins = np.maximum(0.0, scores - scores[rows, y][:, np.newaxis])
    margins[rows, y] = 0.0
    loss = margins.sum() / num_train + reg * np.sum(W * W)
    coeffs = (margins > 0).astype(float)
    coeffs[rows, y] = -coeffs.sum(axis=1)
    return loss, X.T.dot(coeffs) / num_train + 2 * reg * W
