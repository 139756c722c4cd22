"""svm_loss_naive that returns a random non-negative loss and a random gradient shaped like W."""
import numpy as np

def svm_loss_naive(W, X, y, reg):
    rng = np.random.default_rng(0)
    return float(rng.random() * 3), rng.standard_normal(W.shape)
