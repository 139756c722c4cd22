"""grad_check_sparse draws an index but checks the first entry of x every time, whatever the seed."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for i in range(num_checks):
        ix = tuple([rng.integers(m) for m in x.shape])
        first = (0,) * x.ndim
        oldval = x[first]
        x[first] = oldval + h
        fxph = f(x)
        x[first] = oldval - h
        fxmh = f(x)
        x[first] = oldval
        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[first]
        errors.append(abs(grad_numerical - grad_analytic) / (abs(grad_numerical) + abs(grad_analytic)))
    return errors
