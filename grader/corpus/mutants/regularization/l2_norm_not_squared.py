"""l2_regularization uses the norm reg * ||W|| instead of the squared norm reg * sum(W * W)."""
import numpy as np


def l2_regularization(W, reg):
    R = reg * np.linalg.norm(W)
    dR = 2 * reg * W
    return R, dR
