"""grad_check_sparse with the legacy np.random.seed(seed) and np.random.randint, returning a float64 array."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    np.random.seed(seed)
    errors = np.zeros(num_checks)
    for k in range(num_checks):
        ix = tuple(np.random.randint(0, m) for m in x.shape)
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        n = (fxph - fxmh) / (2.0 * h)
        a = np.float64(analytic_grad[ix])
        denominator = abs(n) + abs(a)
        errors[k] = abs(n - a) / denominator if denominator > 0 else 0.0
    return errors
