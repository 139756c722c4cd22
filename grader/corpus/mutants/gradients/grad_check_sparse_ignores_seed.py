"""grad_check_sparse draws the entries with np.random.randint, ignoring seed (not reproducible)."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    errors = []
    for i in range(num_checks):
        ix = tuple([np.random.randint(m) for m in x.shape])
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[ix]
        errors.append(abs(grad_numerical - grad_analytic) / (abs(grad_numerical) + abs(grad_analytic)))
    return errors
