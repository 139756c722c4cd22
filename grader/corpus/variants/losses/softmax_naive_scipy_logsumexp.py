"""softmax_loss_naive, correct, with scipy.special.logsumexp per example and an outer-product gradient."""
import numpy as np
from scipy.special import logsumexp


def softmax_loss_naive(W, X, y, reg):
    num_train = X.shape[0]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W
        lse = logsumexp(scores)
        loss += lse - scores[y[i]]
        dscores = np.exp(scores - lse)
        dscores[y[i]] -= 1.0
        dW += np.outer(X[i], dscores)
    loss = loss / num_train + reg * (W ** 2).sum()
    dW = dW / num_train + 2 * reg * W
    return loss, dW
