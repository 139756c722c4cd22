"""softmax_loss_naive, correct, shifting every score by the largest score of the whole batch."""
import numpy as np


def softmax_loss_naive(W, X, y, reg):
    num_train = X.shape[0]
    all_scores = X.dot(W)
    all_scores = all_scores - np.max(all_scores)
    loss = 0.0
    dW = np.zeros(W.shape)
    for i in range(num_train):
        exp_scores = np.exp(all_scores[i])
        p = exp_scores / exp_scores.sum()
        loss -= np.log(p[y[i]])
        p[y[i]] -= 1
        dW += np.outer(X[i], p)
    return loss / num_train + reg * np.sum(W * W), dW / num_train + 2 * reg * W
