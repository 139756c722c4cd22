"""eval_numerical_gradient returns zeros of x's shape without evaluating f."""
import numpy as np


def eval_numerical_gradient(f, x, h=1e-5):
    return np.zeros_like(x)
