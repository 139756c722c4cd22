"""gradient_descent steps by the whole gradient, ignoring the learning rate."""
import numpy as np


def gradient_descent(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    loss_history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        loss_history.append(loss)
        W = W - dW
    return W, loss_history
