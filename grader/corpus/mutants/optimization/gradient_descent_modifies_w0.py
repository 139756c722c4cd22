"""gradient_descent updates W0 in place (W = W0 is not a copy), changing the caller's array."""
import numpy as np


def gradient_descent(loss_fn, W0, learning_rate, num_iters):
    W = W0
    loss_history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        loss_history.append(loss)
        W -= learning_rate * dW
    return W, loss_history
