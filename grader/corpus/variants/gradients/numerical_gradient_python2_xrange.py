"""eval_numerical_gradient in Python 2-era style: an xrange alias, np.unravel_index, float() casts and %-format prints."""
import numpy as np

try:
    xrange
except NameError:
    xrange = range


def eval_numerical_gradient(f, x, h=1e-5, verbose=False):
    grad = np.zeros(x.shape, dtype=np.float64)
    for i in xrange(x.size):
        ix = np.unravel_index(i, x.shape)
        oldval = x[ix]
        x[ix] = oldval + h
        fxph = float(f(x))
        x[ix] = oldval - h
        fxmh = float(f(x))
        x[ix] = oldval
        grad[ix] = (fxph - fxmh) / (2.0 * h)
        if verbose:
            print("%s %f" % (str(ix), grad[ix]))
    return grad
