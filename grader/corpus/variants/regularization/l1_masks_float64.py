"""l1_regularization that upcasts to float64 and builds the subgradient from boolean masks, (W > 0) - (W < 0)."""
import numpy as np


def l1_regularization(W, reg):
    W = W.astype(np.float64)
    R = reg * np.abs(W).sum()
    dR = reg * ((W > 0).astype(np.float64) - (W < 0).astype(np.float64))
    return float(R), dR
