"""l2_regularization with np.vdot for the sum of squares."""
import numpy as np


def l2_regularization(W, reg):
    R = reg * np.vdot(W, W)
    return R, 2.0 * reg * np.array(W, dtype=float)
