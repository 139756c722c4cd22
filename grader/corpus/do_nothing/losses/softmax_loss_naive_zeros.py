"""softmax_loss_naive that returns a zero loss and a zero gradient."""
import numpy as np

def softmax_loss_naive(W, X, y, reg):
    return 0.0, np.zeros_like(W)
