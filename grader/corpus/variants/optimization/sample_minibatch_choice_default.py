"""sample_minibatch with np.random.choice(num_train, batch_size), replacement by default, and rng.choice when given."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    num_train = X.shape[0]
    if rng is not None:
        batch_idx = rng.choice(num_train, batch_size)
    else:
        batch_idx = np.random.choice(num_train, batch_size)
    X_batch = X[batch_idx]
    y_batch = y[batch_idx]
    return X_batch, y_batch
