"""regularized_loss that unpacks both parts and adds the penalty in place (loss += R, grad += dR) onto the data loss's own arrays."""
import numpy as np


def regularized_loss(data_loss_fn, regularizer, W, X, y, reg):
    loss, grad = data_loss_fn(W, X, y)
    reg_loss, reg_grad = regularizer(W, reg)
    loss += reg_loss
    grad = grad + reg_grad
    return loss, grad
