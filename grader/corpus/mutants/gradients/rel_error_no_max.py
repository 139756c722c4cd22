"""rel_error returns the array of entry-wise errors instead of their maximum."""
import numpy as np


def rel_error(x, y):
    return np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))
