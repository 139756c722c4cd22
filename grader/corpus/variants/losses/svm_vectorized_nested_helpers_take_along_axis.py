"""svm_loss_vectorized, correct, split into helper functions of its own, with np.take_along_axis."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    def hinge_margins(scores, labels):
        correct = np.take_along_axis(scores, labels[:, None], axis=1)
        margins = np.maximum(0.0, scores - correct + 1.0)
        np.put_along_axis(margins, labels[:, None], 0.0, axis=1)
        return margins

    def margin_coefficients(margins, labels):
        coeffs = (margins > 0).astype(np.float64)
        np.put_along_axis(coeffs, labels[:, None], -coeffs.sum(axis=1, keepdims=True), axis=1)
        return coeffs

    num_train = X.shape[0]
    margins = hinge_margins(X @ W, y)
    loss = margins.sum() / num_train + reg * np.sum(W * W)
    dW = X.T @ margin_coefficients(margins, y) / num_train + 2 * reg * W
    return loss, dW
