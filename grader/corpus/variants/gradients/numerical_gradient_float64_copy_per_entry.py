"""eval_numerical_gradient that upcasts to float64 and perturbs fresh copies of x, never x itself; loops over np.ndindex."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    x64 = np.asarray(x, dtype=np.float64)
    grad = np.zeros(x64.shape)
    for ix in np.ndindex(*x64.shape):
        x_plus = x64.copy()
        x_minus = x64.copy()
        x_plus[ix] = x64[ix] + h
        x_minus[ix] = x64[ix] - h
        grad[ix] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad
