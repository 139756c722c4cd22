"""svm_loss_naive written with per-example loops over an einsum score matrix and np.add.at updates."""
import numpy as np


def svm_loss_naive(W, X, y, reg):
    num_train, num_classes = X.shape[0], W.shape[1]
    scores = np.einsum("nd,dc->nc", X, W)
    loss = 0.0
    coeff = np.zeros((num_train, num_classes))
    for i in range(num_train):
        for j in range(num_classes):
            if j != y[i]:
                margin = scores[i, j] - scores[i, y[i]] + 1
                if margin > 0:
                    loss += margin
                    coeff[i, j] += 1
                    np.add.at(coeff[i], y[i], -1)
    dW = X.T @ coeff / num_train + 2 * reg * W
    return loss / num_train + reg * np.sum(W * W), dW
