"""sample_minibatch always draws from np.random, even when a Generator is passed as rng."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    idx = np.random.choice(X.shape[0], batch_size)
    return X[idx], y[idx]
