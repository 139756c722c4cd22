"""fit_polynomial_ridge with the design matrix built by a loop over powers and the normal equations solved by np.linalg.inv."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    N = x.shape[0]
    A = np.ones((N, degree + 1))
    for k in range(1, degree + 1):
        A[:, k] = x ** k
    return np.linalg.inv(A.T.dot(A) + lam * np.identity(degree + 1)).dot(A.T).dot(y)
