"""fit_polynomial_ridge with np.polynomial.polynomial.polyvander and scipy.linalg.solve on the symmetric positive system."""
import numpy as np
import scipy.linalg


def fit_polynomial_ridge(x, y, degree, lam):
    A = np.polynomial.polynomial.polyvander(x, degree)
    return scipy.linalg.solve(A.T @ A + lam * np.eye(degree + 1), A.T @ y, assume_a="sym")
