"""fit_polynomial_ridge adds lam to every entry of A.T @ A instead of to its diagonal."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    A = np.vander(x, degree + 1, increasing=True)
    return np.linalg.solve(A.T @ A + lam, A.T @ y)
