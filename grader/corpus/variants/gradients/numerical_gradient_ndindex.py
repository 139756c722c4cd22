"""eval_numerical_gradient looping with np.ndindex and np.zeros_like(x, dtype=float)."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for ix in np.ndindex(*x.shape):
        saved = x[ix]
        x[ix] = saved + h
        f_plus = f(x)
        x[ix] = saved - h
        f_minus = f(x)
        x[ix] = saved
        grad[ix] = (f_plus - f_minus) / (2 * h)
    return grad
