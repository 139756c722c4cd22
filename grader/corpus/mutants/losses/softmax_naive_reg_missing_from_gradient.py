"""softmax_loss_naive adds reg * sum(W * W) to the loss but leaves 2 * reg * W out of dW."""
import numpy as np

def softmax_loss_naive(W, X, y, reg):
    dW = np.zeros(W.shape)
    loss = 0.0
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W)
        scores = scores - np.max(scores)
        p = np.exp(scores) / np.sum(np.exp(scores))
        loss += -np.log(p[y[i]])
        for j in range(W.shape[1]):
            dW[:, j] += (p[j] - (j == y[i])) * X[i]
    loss = loss / num_train + reg * np.sum(W * W)
    return loss, dW / num_train
