"""rel_error written with np.subtract, np.fmax and np.divide, returning np.amax of the ratios."""
import numpy as np


def rel_error(x, y):
    ratios = np.divide(np.abs(np.subtract(x, y)), np.fmax(np.abs(x) + np.abs(y), 1e-8))
    return float(np.amax(ratios))
