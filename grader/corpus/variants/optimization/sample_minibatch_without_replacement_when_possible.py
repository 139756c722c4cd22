"""sample_minibatch without replacement when batch_size <= N, with replacement otherwise."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    choice = np.random.choice if rng is None else rng.choice
    num_train = X.shape[0]
    idx = choice(num_train, batch_size, replace=batch_size > num_train)
    return X[idx], y[idx]
