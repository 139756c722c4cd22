"""rel_error divides by |x| + |y| without the 1e-8 floor (0 / 0 = nan when both are 0)."""
import numpy as np


def rel_error(x, y):
    return np.max(np.abs(x - y) / (np.abs(x) + np.abs(y)))
