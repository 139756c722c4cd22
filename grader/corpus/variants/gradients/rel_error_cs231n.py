"""rel_error exactly as the CS231n notebooks define it, returning a numpy float."""
import numpy as np


def rel_error(x, y):
    """ returns relative error """
    return np.max(np.abs(x - y) / (np.maximum(1e-8, np.abs(x) + np.abs(y))))
