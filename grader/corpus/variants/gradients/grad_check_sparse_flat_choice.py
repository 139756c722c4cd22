"""grad_check_sparse that draws flat indices with rng.integers and perturbs x.flat, errors via an inline max(1e-12, ...) floor."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    errors = []
    for i in rng.integers(0, x.size, size=num_checks):
        oldval = x.flat[i]
        x.flat[i] = oldval + h
        fxph = f(x)
        x.flat[i] = oldval - h
        fxmh = f(x)
        x.flat[i] = oldval
        n = (fxph - fxmh) / (2 * h)
        a = analytic_grad.flat[i]
        errors.append(float(abs(n - a) / max(1e-12, abs(n) + abs(a))))
    return errors
