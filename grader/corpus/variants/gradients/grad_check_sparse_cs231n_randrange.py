"""grad_check_sparse as in CS231n's gradient_check.py: randrange from the random module (seeded with seed), prints, xrange."""
import random
from random import randrange

import numpy as np

try:
    xrange
except NameError:
    xrange = range


def grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None):
    """
    sample a few random elements and only return numerical
    in this dimensions.
    """
    random.seed(seed)
    errors = []
    for i in xrange(num_checks):
        ix = tuple([randrange(m) for m in x.shape])

        oldval = x[ix]
        x[ix] = oldval + h  # increment by h
        fxph = f(x)  # evaluate f(x + h)
        x[ix] = oldval - h  # increment by h
        fxmh = f(x)  # evaluate f(x - h)
        x[ix] = oldval  # reset

        grad_numerical = (fxph - fxmh) / (2 * h)
        grad_analytic = analytic_grad[ix]
        rel_error = abs(grad_numerical - grad_analytic) / (abs(grad_numerical) + abs(grad_analytic))
        print('numerical: %f analytic: %f, relative error: %e' % (grad_numerical, grad_analytic, rel_error))
        errors.append(rel_error)
    return errors
