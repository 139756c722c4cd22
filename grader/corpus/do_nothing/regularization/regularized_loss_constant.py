"""regularized_loss returns the loss 1 and a gradient of ones, calling neither the data loss nor the regularizer."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    return 1.0, np.ones_like(W)
