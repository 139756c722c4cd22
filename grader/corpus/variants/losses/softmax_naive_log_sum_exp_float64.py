"""softmax_loss_naive, correct, L_i = -s_y + log(sum(exp(s))) after the shift, with float64 upcasts."""
import numpy as np


def softmax_loss_naive(W, X, y, reg):
    W = W.astype(np.float64)
    X = X.astype(np.float64)
    N, C = X.shape[0], W.shape[1]
    loss = 0.0
    dW = np.zeros_like(W)
    for n in range(N):
        s = np.dot(X[n], W)
        s = s - s.max()
        log_norm = np.log(np.sum(np.exp(s)))
        loss += -s[y[n]] + log_norm
        for c in range(C):
            p_c = np.exp(s[c] - log_norm)
            dW[:, c] += X[n] * (p_c - (c == y[n]))
    loss = loss / N + reg * np.sum(np.square(W))
    dW = dW / N + reg * 2 * W
    return float(loss), dW
