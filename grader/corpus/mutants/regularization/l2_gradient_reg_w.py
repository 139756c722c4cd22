"""l2_regularization returns the gradient reg * W instead of 2 * reg * W."""
import numpy as np


def l2_regularization(W, reg):
    R = reg * np.sum(W * W)
    dR = reg * W
    return R, dR
