"""softmax_loss_naive, correct, with the log-sum-exp of each example from np.logaddexp.reduce."""
import numpy as np

def softmax_loss_naive(W, X, y, reg):
    num_train, num_classes = X.shape[0], W.shape[1]
    loss, dW = 0.0, np.zeros_like(W)
    for i in range(num_train):
        scores = X[i] @ W
        lse = np.logaddexp.reduce(scores)
        loss += lse - scores[y[i]]
        for j in range(num_classes):
            dW[:, j] += (np.exp(scores[j] - lse) - (1.0 if j == y[i] else 0.0)) * X[i]
    return loss / num_train + reg * np.sum(W * W), dW / num_train + 2 * reg * W
