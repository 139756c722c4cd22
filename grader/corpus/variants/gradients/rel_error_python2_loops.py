"""rel_error with Python loops over the flattened arrays, an xrange alias, and the built-in max and abs."""
import numpy as np

try:
    xrange
except NameError:
    xrange = range


def rel_error(x, y):
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    worst = 0.0
    for i in xrange(x.shape[0]):
        err = abs(x[i] - y[i]) / max(1e-8, abs(x[i]) + abs(y[i]))
        if err > worst:
            worst = err
    return worst
