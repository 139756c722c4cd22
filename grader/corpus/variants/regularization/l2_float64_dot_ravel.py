"""l2_regularization that upcasts W to float64 and sums the squares with a BLAS dot of the flattened weights."""
import numpy as np


def l2_regularization(W, reg):
    W = np.asarray(W, dtype=np.float64)
    w = W.ravel()
    R = reg * w.dot(w)
    dR = reg * 2.0 * W
    return R, dR
