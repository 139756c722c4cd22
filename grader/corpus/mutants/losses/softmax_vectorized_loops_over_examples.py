"""softmax_loss_vectorized that loops over the examples, one row of probabilities at a time."""
import numpy as np

def softmax_loss_vectorized(W, X, y, reg):
    num_train = X.shape[0]
    scores = X.dot(W)
    dscores = np.zeros_like(scores)
    loss = 0.0
    for i in range(num_train):
        shifted = scores[i] - np.max(scores[i])
        log_probs = shifted - np.log(np.sum(np.exp(shifted)))
        loss -= log_probs[y[i]]
        dscores[i] = np.exp(log_probs)
        dscores[i, y[i]] -= 1.0
    loss = loss / num_train + reg * np.sum(W * W)
    return loss, X.T.dot(dscores) / num_train + 2 * reg * W
