"""regularized_loss calling both parts with keyword arguments and adding with np.add."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    data_loss, dW_data = data_loss_fn(W=W, X=X, y=y)
    penalty, dpenalty = regularizer(W, reg=reg)
    return float(data_loss) + float(penalty), np.add(dW_data, dpenalty)
