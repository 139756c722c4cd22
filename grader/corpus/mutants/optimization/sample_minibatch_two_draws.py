"""sample_minibatch draws the rows of X and the labels with two separate np.random.choice calls."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    if rng is None:
        rng = np.random
    X_batch = X[rng.choice(X.shape[0], batch_size)]
    y_batch = y[rng.choice(X.shape[0], batch_size)]
    return X_batch, y_batch
