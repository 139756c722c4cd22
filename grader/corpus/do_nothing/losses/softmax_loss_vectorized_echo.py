"""softmax_loss_vectorized that returns reg as the loss and W as the gradient."""
import numpy as np

def softmax_loss_vectorized(W, X, y, reg):
    return float(reg), W.copy()
