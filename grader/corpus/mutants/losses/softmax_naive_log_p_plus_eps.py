"""softmax_loss_naive computes -log(p + 1e-12) from unshifted probabilities, so large scores give inf or nan."""
import numpy as np

def softmax_loss_naive(W, X, y, reg):
    dW = np.zeros(W.shape)
    loss = 0.0
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W)
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss += -np.log(p[y[i]] + 1e-12)
        for j in range(W.shape[1]):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    loss = loss / num_train + reg * np.sum(W * W)
    dW = dW / num_train + 2 * reg * W
    return loss, dW
