"""gradient_descent echoes W0 and repeats its loss num_iters times: no step is taken."""
import numpy as np


def gradient_descent(loss_fn, W0, learning_rate, num_iters):
    loss, _ = loss_fn(W0)
    return W0.copy(), [loss] * num_iters
