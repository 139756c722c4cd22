"""fit_polynomial_ridge uses np.vander's default decreasing powers: the coefficients come out reversed."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    A = np.vander(x, degree + 1)
    return np.linalg.solve(A.T @ A + lam * np.eye(degree + 1), A.T @ y)
