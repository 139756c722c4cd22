"""gradient_descent updating a copy in place, the history kept in a numpy array."""
import numpy as np


def gradient_descent(loss_fn, W0, learning_rate, num_iters):
    weights = np.array(W0, dtype=float)
    loss_history = np.zeros(num_iters)
    for t in range(num_iters):
        loss_history[t], weights_grad = loss_fn(weights)
        weights += - learning_rate * weights_grad
    return weights, loss_history
