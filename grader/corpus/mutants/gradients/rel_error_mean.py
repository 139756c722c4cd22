"""rel_error averages the entry-wise relative errors instead of taking the largest."""
import numpy as np


def rel_error(x, y):
    return np.mean(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))
