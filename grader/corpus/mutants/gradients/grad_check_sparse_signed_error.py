"""grad_check_sparse reports (n - a) / (|n| + |a|) without the absolute value (negative errors)."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for i in range(num_checks):
        ix = tuple([rng.integers(m) for m in x.shape])
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[ix]
        errors.append((grad_numerical - grad_analytic) / (abs(grad_numerical) + abs(grad_analytic)))
    return errors
