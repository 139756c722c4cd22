"""regularized_loss adds the penalty R to the loss a second time."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    loss, dW = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    loss += R
    dW += dR
    loss += R
    return loss, dW
