"""regularized_loss hands its inputs back: the loss is reg and the gradient is W."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    return reg, W.copy()
