"""l1_regularization sums the weights without the absolute value."""
import numpy as np


def l1_regularization(W, reg):
    R = reg * np.sum(W)
    dR = reg * np.sign(W)
    return R, dR
