"""build_vocabulary sets every word to the mean of its patches, so a word without patches becomes nan."""
import warnings

import numpy as np


def build_vocabulary(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    vocabulary = patches[rng.choice(patches.shape[0], size=k, replace=False)].astype(np.float64)
    for _ in range(num_iters):
        dists = ((patches[:, None, :] - vocabulary[None, :, :]) ** 2).sum(axis=2)
        assign = np.argmin(dists, axis=1)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")   # "Mean of empty slice"
            vocabulary = np.array([patches[assign == j].mean(axis=0) for j in range(k)])
    return vocabulary
