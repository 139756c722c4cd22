"""regularized_loss returns a zero loss and a zero gradient, calling neither the data loss nor the regularizer."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    return 0.0, np.zeros_like(W)
