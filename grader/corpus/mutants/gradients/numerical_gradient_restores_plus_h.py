"""eval_numerical_gradient "restores" each entry to old_value + h, so x is left shifted by h."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old_value = x[ix]
        x[ix] = old_value + h
        fxph = f(x)
        x[ix] = old_value - h
        fxmh = f(x)
        x[ix] = old_value + h  # restore
        grad[ix] = (fxph - fxmh) / (2 * h)
        it.iternext()
    return grad
