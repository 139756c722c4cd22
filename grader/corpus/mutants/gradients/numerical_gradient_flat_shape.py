"""eval_numerical_gradient loops over a flat view of x and returns the flat gradient, not x's shape."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    flat_x = x.reshape(-1)
    grad = np.zeros(x.size)
    for i in range(x.size):
        old_value = flat_x[i]
        flat_x[i] = old_value + h
        fxph = f(x)
        flat_x[i] = old_value - h
        fxmh = f(x)
        flat_x[i] = old_value
        grad[i] = (fxph - fxmh) / (2 * h)
    return grad
