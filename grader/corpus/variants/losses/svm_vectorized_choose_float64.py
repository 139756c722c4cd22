"""svm_loss_vectorized, correct, picking the correct-class scores with np.choose after a float64 upcast."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    W64 = W.astype(np.float64)
    X64 = np.asarray(X, dtype=np.float64)
    N = X64.shape[0]
    scores = X64.dot(W64)
    correct = np.choose(y, scores.T)
    margins = scores - correct[:, np.newaxis] + 1
    margins[np.arange(N), y] = 0
    margins = np.where(margins > 0, margins, 0.0)
    loss = np.sum(margins) / N
    loss += reg * np.sum(W64 * W64)
    binary = np.zeros_like(scores)
    binary[margins > 0] = 1
    binary[np.arange(N), y] = -np.sum(binary, axis=1)
    dW = X64.T.dot(binary) / N
    dW += 2 * reg * W64
    return loss, dW
