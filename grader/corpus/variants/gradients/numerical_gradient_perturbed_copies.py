"""eval_numerical_gradient evaluating f at perturbed copies of x, so x itself never changes."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        x_plus = x.copy()
        x_plus[ix] += h
        x_minus = x.copy()
        x_minus[ix] -= h
        grad[ix] = (f(x_plus) - f(x_minus)) / (2 * h)
    return grad
