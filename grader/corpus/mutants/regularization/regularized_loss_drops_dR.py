"""regularized_loss adds the penalty to the loss but forgets its gradient dR."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    data_loss, dW = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    return data_loss + R, dW
