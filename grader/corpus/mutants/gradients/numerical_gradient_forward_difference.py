"""eval_numerical_gradient uses forward differences (f(x + h) - f(x)) / h, whose error is O(h)."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    fx = f(x)
    grad = np.zeros(x.shape)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old_value = x[ix]
        x[ix] = old_value + h
        fxh = f(x)
        x[ix] = old_value
        grad[ix] = (fxh - fx) / h
        it.iternext()
    return grad
