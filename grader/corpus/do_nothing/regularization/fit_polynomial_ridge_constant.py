"""fit_polynomial_ridge returns degree + 1 coefficients equal to 1, whatever the data are."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    return np.ones(degree + 1)
