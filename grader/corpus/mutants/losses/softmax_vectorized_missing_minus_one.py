"""softmax_loss_vectorized forgets to subtract 1 at the true class: dW = X^T P instead of X^T (P - Y)."""
import numpy as np

def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    rows = np.arange(num_train)
    scores = X.dot(W)
    scores = scores - np.max(scores, axis=1, keepdims=True)
    log_probs = scores - np.log(np.sum(np.exp(scores), axis=1, keepdims=True))
    loss = -np.mean(log_probs[rows, y]) + reg * np.sum(W * W)
    return loss, X.T.dot(np.exp(log_probs)) / num_train + 2 * reg * W
