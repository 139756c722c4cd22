"""l1_regularization hands its inputs back: R = reg and dR = W."""
import numpy as np


def l1_regularization(W, reg):
    return reg, W.copy()
