"""rel_error returns a random number in [0, 1) (a fixed seed), unrelated to x and y."""
import numpy as np


def rel_error(x, y):
    return float(np.random.default_rng(0).random())
