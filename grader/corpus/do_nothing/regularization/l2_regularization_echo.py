"""l2_regularization hands its inputs back: R = reg and dR = W."""
import numpy as np


def l2_regularization(W, reg):
    return reg, W.copy()
