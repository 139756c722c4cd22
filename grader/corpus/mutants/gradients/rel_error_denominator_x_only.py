"""rel_error divides by |x| only (not symmetric, can exceed 1)."""
import numpy as np


def rel_error(x, y):
    return np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x)))
