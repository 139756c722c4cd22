"""l2_regularization with the 0.5 * reg * sum(W * W) convention of other courses, and its gradient reg * W."""
import numpy as np


def l2_regularization(W, reg):
    R = 0.5 * reg * np.sum(W * W)
    dR = reg * W
    return R, dR
