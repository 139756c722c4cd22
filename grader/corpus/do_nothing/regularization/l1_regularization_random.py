"""l1_regularization returns random numbers of the right shapes (a fixed seed), unrelated to W and reg."""
import numpy as np


def l1_regularization(W, reg):
    rng = np.random.default_rng(0)
    return float(rng.random()), rng.standard_normal(np.shape(W))
