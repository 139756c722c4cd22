"""sample_minibatch drawing from np.random or rng through one name, rows upcast to float64."""
import numpy as np


def sample_minibatch(X, y, batch_size, rng=None):
    source = np.random if rng is None else rng
    idx = source.choice(len(X), size=batch_size, replace=True)
    return X[idx, :].astype(np.float64), np.asarray(y)[idx]
