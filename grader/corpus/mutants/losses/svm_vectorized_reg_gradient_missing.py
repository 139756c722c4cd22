"""svm_loss_vectorized leaves the regularization gradient 2 * reg * W out of dW."""
import numpy as np


def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    correct = scores[np.arange(num_train), y][:, np.newaxis]
    margins = np.maximum(0, scores - correct + 1)
    margins[np.arange(num_train), y] = 0
    loss = np.sum(margins) / num_train + reg * np.sum(W * W)
    mask = (margins > 0).astype(float)
    mask[np.arange(num_train), y] = -np.sum(mask, axis=1)
    dW = X.T.dot(mask) / num_train
    return loss, dW
