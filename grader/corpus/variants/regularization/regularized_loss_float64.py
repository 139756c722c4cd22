"""regularized_loss that casts the loss to float and the gradient to a float64 array."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    data_loss, dW_data = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    return float(data_loss) + float(R), np.asarray(dW_data, dtype=np.float64) + np.asarray(dR, dtype=np.float64)
