"""softmax_loss_vectorized whose per-example losses come from a list comprehension over the rows."""
import numpy as np

def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    scores = scores - scores.max(axis=1, keepdims=True)
    log_probs = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    losses = [-row[label] for row, label in zip(log_probs, y)]
    loss = np.mean(losses) + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(num_train), y] -= 1.0
    return loss, X.T.dot(dscores) / num_train + 2 * reg * W
