"""svm_loss_naive that returns a constant loss and a constant gradient."""
import numpy as np

def svm_loss_naive(W, X, y, reg):
    return 9.0, np.ones(W.shape)
