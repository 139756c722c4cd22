"""eval_numerical_gradient evaluates f once, at x, and returns that value in every entry."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    return np.full(x.shape, float(f(x)))
