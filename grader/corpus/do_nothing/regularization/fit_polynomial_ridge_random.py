"""fit_polynomial_ridge returns degree + 1 random coefficients (a fixed seed), unrelated to the data."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    return np.random.default_rng(0).standard_normal(degree + 1)
