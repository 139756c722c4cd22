"""random_search returns a zero W and a zero loss without trying anything."""
import numpy as np


def random_search(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    return np.zeros((dim, num_classes)), 0.0
