"""l2_regularization returns a zero penalty and a zero gradient, whatever W and reg are."""
import numpy as np


def l2_regularization(W, reg):
    return 0.0, np.zeros_like(W)
