"""sample_minibatch always returns the first batch_size rows and their labels."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    return X[:batch_size], y[:batch_size]
