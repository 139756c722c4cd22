"""svm_loss_vectorized that returns a zero loss and a zero gradient."""
import numpy as np

def svm_loss_vectorized(W, X, y, reg):
    return 0.0, np.zeros_like(W)
