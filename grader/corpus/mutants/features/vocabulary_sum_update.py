"""build_vocabulary moves each word to the sum of its patches instead of their mean."""
import numpy as np


def build_vocabulary(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    vocabulary = patches[rng.choice(patches.shape[0], size=k, replace=False)].astype(np.float64)
    for _ in range(num_iters):
        dists = ((patches[:, None, :] - vocabulary[None, :, :]) ** 2).sum(axis=2)
        assign = np.argmin(dists, axis=1)
        for j in range(k):
            members = patches[assign == j]
            if len(members) > 0:
                vocabulary[j] = members.sum(axis=0)
    return vocabulary
