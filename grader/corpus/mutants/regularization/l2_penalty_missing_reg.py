"""l2_regularization leaves the strength reg out of the penalty (but not out of the gradient)."""
import numpy as np


def l2_regularization(W, reg):
    R = np.sum(W * W)
    dR = 2 * reg * W
    return R, dR
