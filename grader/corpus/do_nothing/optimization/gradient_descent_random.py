"""gradient_descent returns random numbers of W0's shape and a random history."""
import numpy as np


def gradient_descent(loss_fn, W0, learning_rate, num_iters):
    return np.random.randn(*W0.shape), list(np.random.rand(num_iters))
