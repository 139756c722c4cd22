"""eval_numerical_gradient that subtracts in the wrong order, (f(x - h) - f(x + h)) / (2h)."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = f(x)
        x[ix] = oldval - h
        fxmh = f(x)
        x[ix] = oldval
        grad[ix] = (fxmh - fxph) / (2 * h)
        it.iternext()
    return grad
