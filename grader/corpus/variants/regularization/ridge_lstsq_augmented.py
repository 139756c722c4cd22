"""fit_polynomial_ridge as least squares on the system augmented with sqrt(lam) * I."""
import numpy as np


def fit_polynomial_ridge(x, y, degree, lam):
    A = np.column_stack([x ** k for k in range(degree + 1)])
    A_aug = np.vstack([A, np.sqrt(lam) * np.eye(degree + 1)])
    y_aug = np.concatenate([y, np.zeros(degree + 1)])
    return np.linalg.lstsq(A_aug, y_aug, rcond=None)[0]
