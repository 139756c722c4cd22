"""grad_check_sparse drawing flat indices at once and converting them with np.unravel_index; returns an array."""
import numpy as np


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    rng = np.random.default_rng(seed)
    flat_indices = rng.integers(0, x.size, size=num_checks)
    errors = np.zeros(num_checks)
    for k, flat in enumerate(flat_indices):
        ix = np.unravel_index(flat, x.shape)
        old_value = x[ix]
        x[ix] = old_value + h
        fxph = f(x)
        x[ix] = old_value - h
        fxmh = f(x)
        x[ix] = old_value
        numeric = (fxph - fxmh) / (2 * h)
        analytic = analytic_grad[ix]
        errors[k] = abs(numeric - analytic) / max(1e-12, abs(numeric) + abs(analytic))
    return errors
