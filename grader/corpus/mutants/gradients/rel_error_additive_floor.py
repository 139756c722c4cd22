"""rel_error with the floor added to the denominator, |x| + |y| + 1e-8, instead of np.maximum(1e-8, |x| + |y|)."""
import numpy as np


def rel_error(x, y):
    return np.max(np.abs(x - y) / (np.abs(x) + np.abs(y) + 1e-8))
