"""l2_regularization builds dR by scaling W in place: right numbers, but the caller's W changes."""
import numpy as np


def l2_regularization(W, reg):
    R = reg * np.sum(W * W)
    W *= 2 * reg
    return R, W
