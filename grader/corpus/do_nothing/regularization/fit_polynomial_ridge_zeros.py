"""fit_polynomial_ridge returns degree + 1 zero coefficients, whatever the data are."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    return np.zeros(degree + 1)
