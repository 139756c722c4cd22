"""eval_numerical_gradient returns random numbers of x's shape (a fixed seed), unrelated to f."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    return np.random.default_rng(0).standard_normal(x.shape)
