"""sample_minibatch with rng.integers, or np.random.randint when rng is None."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    n = len(y)
    if rng is None:
        idx = np.random.randint(0, n, size=batch_size)
    else:
        idx = rng.integers(0, n, size=batch_size)
    return X[idx, :], y[idx]
