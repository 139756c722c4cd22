"""l1_regularization with np.abs and np.sign, returned as numpy floats without a cast."""
import numpy as np


def l1_regularization(W, reg):
    R = np.sum(np.abs(W)) * reg
    dR = np.sign(W) * reg
    return R, dR
