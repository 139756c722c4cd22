"""rel_error hands back the largest entry of x."""
import numpy as np


def rel_error(x, y):
    return float(np.max(x))
