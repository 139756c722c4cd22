"""eval_numerical_gradient moves x[ix] by += h and -= 2h and never adds h back: x is left at x - h."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        x[ix] += h
        fxph = f(x)
        x[ix] -= 2 * h
        fxmh = f(x)
        grad[ix] = (fxph - fxmh) / (2 * h)
    return grad
