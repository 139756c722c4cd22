"""sample_minibatch samples without replacement, so batch_size > N fails."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    if rng is None:
        rng = np.random
    idx = rng.choice(X.shape[0], batch_size, replace=False)
    return X[idx], y[idx]
