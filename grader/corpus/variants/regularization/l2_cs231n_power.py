"""l2_regularization written as reg * np.sum(W ** 2) with the gradient 2 * reg * W, as in CS231n's softmax.py."""
import numpy as np


def l2_regularization(W, reg):
    loss = reg * np.sum(W ** 2)
    dW = 2 * reg * W
    return loss, dW
