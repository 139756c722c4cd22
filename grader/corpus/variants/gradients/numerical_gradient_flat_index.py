"""eval_numerical_gradient with a flat index loop over x.flat and grad.flat; evaluates f(x) once (unused)."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    fx = f(x)  # f at x itself, for printing while debugging
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old_value = x.flat[i]
        x.flat[i] = old_value + h
        fxph = f(x)
        x.flat[i] = old_value - h
        fxmh = f(x)
        x.flat[i] = old_value
        grad.flat[i] = (fxph - fxmh) / (2 * h)
    return grad
