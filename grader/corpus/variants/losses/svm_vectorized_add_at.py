"""svm_loss_vectorized, correct, building dW with np.add.at over the positive margins."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X @ W
    margins = scores - scores[rows, y][:, None] + 1.0
    margins[rows, y] = 0.0
    positive = margins > 0
    loss = np.sum(margins[positive]) / num_train + reg * np.sum(W ** 2)
    coeffs = np.zeros_like(scores)
    i, j = np.nonzero(positive)
    np.add.at(coeffs, (i, j), 1.0)
    np.add.at(coeffs, (i, y[i]), -1.0)
    return loss, X.T @ coeffs / num_train + 2 * reg * W
