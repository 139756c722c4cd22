"""softmax_loss_vectorized, correct, in the np.log(np.sum(np.exp(...))) form with a float64 upcast and fancy indexing."""
import numpy as np

def softmax_loss_vectorized(W, X, y, reg):
    X = X.astype(np.float64)
    N = X.shape[0]
    f = X.dot(W)
    f -= np.max(f, axis=1, keepdims=True)
    sum_exp = np.sum(np.exp(f), axis=1)
    loss = np.sum(np.log(sum_exp) - f[np.arange(N), y]) / N
    loss += reg * np.sum(W * W)
    p = np.exp(f) / sum_exp[:, np.newaxis]
    ind = np.zeros_like(p)
    ind[np.arange(N), y] = 1
    dW = X.T.dot(p - ind) / N + 2 * reg * W
    return loss, dW
