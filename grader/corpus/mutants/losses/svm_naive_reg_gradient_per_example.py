"""svm_loss_naive adds the regularization gradient inside the loop, once per example."""
import numpy as np

def svm_loss_naive(W, X, y, reg):
    dW = np.zeros(W.shape)
    loss = 0.0
    num_train = X.shape[0]
    for i in range(num_train):
        scores = X[i].dot(W)
        for j in range(W.shape[1]):
            if j == y[i]:
                continue
            margin = scores[j] - scores[y[i]] + 1
            if margin > 0:
                loss += margin
                dW[:, j] += X[i] / num_train
                dW[:, y[i]] -= X[i] / num_train
        dW += 2 * reg * W
    loss = loss / num_train + reg * np.sum(W * W)
    return loss, dW
