"""l1_regularization with a loop over W.flat, an xrange alias, and if / elif for the subgradient (0 at w = 0)."""
import numpy as np

try:
    xrange
except NameError:
    xrange = range


def l1_regularization(W, reg):
    R = 0.0
    dR = np.zeros(W.shape)
    for i in xrange(W.size):
        w = W.flat[i]
        R += abs(w)
        if w > 0:
            dR.flat[i] = reg
        elif w < 0:
            dR.flat[i] = -reg
    return reg * R, dR
