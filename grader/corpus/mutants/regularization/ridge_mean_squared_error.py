"""fit_polynomial_ridge that minimizes the mean squared error + lam * sum(c**2): the normal equations divided by N."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    A = np.vander(x, degree + 1, increasing=True)
    N = len(x)
    return np.linalg.solve(A.T.dot(A) / N + lam * np.eye(degree + 1), A.T.dot(y) / N)
