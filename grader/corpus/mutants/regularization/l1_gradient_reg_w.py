"""l1_regularization returns reg * W as the gradient instead of reg * sign(W)."""
import numpy as np


def l1_regularization(W, reg):
    R = reg * np.sum(np.abs(W))
    dR = reg * W
    return R, dR
