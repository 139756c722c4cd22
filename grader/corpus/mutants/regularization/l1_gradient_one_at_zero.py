"""l1_regularization takes the subgradient +1 at w = 0 (np.where(W >= 0, 1, -1)) instead of the documented 0."""
import numpy as np


def l1_regularization(W, reg):
    R = reg * np.sum(np.abs(W))
    dR = reg * np.where(W >= 0, 1.0, -1.0)
    return R, dR
