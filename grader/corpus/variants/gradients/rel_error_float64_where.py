"""rel_error that upcasts both arrays to float64 and floors the denominator with np.where."""
import numpy as np


def rel_error(x, y):
    x = np.array(x, dtype=np.float64)
    y = np.array(y, dtype=np.float64)
    denominator = np.abs(x) + np.abs(y)
    denominator = np.where(denominator > 1e-8, denominator, 1e-8)
    return float((np.abs(x - y) / denominator).max())
