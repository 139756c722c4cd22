"""softmax_loss_vectorized that builds the normalizer and the gradient one class at a time."""
import numpy as np

def softmax_loss_vectorized(W, X, y, reg):
    num_train, num_classes = X.shape[0], W.shape[1]
    rows = np.arange(num_train)
    scores = X.dot(W)
    scores -= scores.max(axis=1, keepdims=True)
    total = np.zeros(num_train)
    for c in range(num_classes):
        total += np.exp(scores[:, c])
    loss = np.mean(np.log(total) - scores[rows, y]) + reg * np.sum(W * W)
    probs = np.exp(scores) / total[:, None]
    probs[rows, y] -= 1.0
    dW = np.zeros_like(W)
    for c in range(num_classes):
        dW[:, c] = X.T.dot(probs[:, c]) / num_train
    return loss, dW + 2 * reg * W
