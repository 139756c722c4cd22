"""grad_check_sparse hands back the first num_checks entries of analytic_grad as the errors."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    return list(np.ravel(analytic_grad)[:num_checks])
