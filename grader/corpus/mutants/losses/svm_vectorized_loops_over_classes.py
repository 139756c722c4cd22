"""svm_loss_vectorized that vectorizes over the examples but loops over the classes in Python."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    num_classes = W.shape[1]
    rows = np.arange(num_train)
    scores = X.dot(W)
    correct = scores[rows, y]
    coeffs = np.zeros_like(scores)
    loss = 0.0
    for j in range(num_classes):
        margin = np.maximum(0.0, scores[:, j] - correct + 1.0)
        margin[y == j] = 0.0
        loss += margin.sum()
        coeffs[:, j] = margin > 0
    coeffs[rows, y] = -coeffs.sum(axis=1)
    loss = loss / num_train + reg * np.sum(W * W)
    return loss, X.T.dot(coeffs) / num_train + 2 * reg * W
