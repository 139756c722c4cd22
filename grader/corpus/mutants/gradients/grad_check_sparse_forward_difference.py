"""grad_check_sparse that measures the numerical gradient by forward differences, (f(x + h) - f(x)) / h."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for _ in range(num_checks):
        ix = tuple(rng.integers(m) for m in x.shape)
        fx = f(x)
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval
        n = (fxph - fx) / h
        a = analytic_grad[ix]
        errors.append(abs(n - a) / (abs(n) + abs(a)))
    return errors
