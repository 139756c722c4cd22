"""fit_polynomial_ridge hands the targets back: the first degree + 1 entries of y (repeated when y is shorter)."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    return np.resize(np.asarray(y, dtype=float), degree + 1)
