"""l2_regularization with explicit loops over every index (np.ndindex), an xrange alias, and float accumulation."""
import numpy as np

try:
    xrange
except NameError:
    xrange = range


def l2_regularization(W, reg):
    R = 0.0
    dR = np.zeros(W.shape)
    for ix in np.ndindex(*W.shape):
        R += W[ix] * W[ix]
        dR[ix] = 2 * reg * W[ix]
    R *= reg
    return R, dR
