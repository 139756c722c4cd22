"""eval_numerical_gradient writes `/ 2 * h` for `/ (2 * h)`: it multiplies by h instead of dividing."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old_value = x[ix]
        x[ix] = old_value + h
        fxph = f(x)
        x[ix] = old_value - h
        fxmh = f(x)
        x[ix] = old_value
        grad[ix] = (fxph - fxmh) / 2 * h
    return grad
