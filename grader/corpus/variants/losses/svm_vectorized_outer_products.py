"""svm_loss_vectorized, correct, with dW as the mean of per-example outer products, by broadcasting."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    idx = np.arange(num_train)
    scores = X @ W
    margins = scores - scores[idx, y].reshape(-1, 1) + 1.0
    margins[idx, y] = 0.0
    active = margins > 0
    loss = margins[active].sum() / num_train + reg * (W ** 2).sum()
    coeffs = active.astype(float)
    coeffs[idx, y] -= active.sum(axis=1)
    # dW = (1/N) sum_i outer(x_i, coeffs_i), all examples at once
    outer = X[:, :, np.newaxis] * coeffs[:, np.newaxis, :]
    dW = outer.mean(axis=0) + 2 * reg * W
    return loss, dW
