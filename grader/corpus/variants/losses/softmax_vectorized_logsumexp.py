"""softmax_loss_vectorized, correct, with scipy.special.logsumexp for the stable log of the normalizer."""
import numpy as np
from scipy.special import logsumexp


def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    log_probs = scores - logsumexp(scores, axis=1, keepdims=True)
    loss = -np.sum(log_probs[np.arange(num_train), y]) / num_train + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(num_train), y] -= 1
    dW = X.T.dot(dscores) / num_train + 2 * reg * W
    return loss, dW
