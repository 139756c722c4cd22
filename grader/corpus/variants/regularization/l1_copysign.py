"""l1_regularization with np.abs(W).sum() and np.copysign, keeping 0 where W is 0."""
import numpy as np


def l1_regularization(W, reg):
    W = np.asarray(W, dtype=float)
    R = reg * np.abs(W).sum()
    dR = np.where(W == 0, 0.0, np.copysign(reg, W))
    return R, dR
