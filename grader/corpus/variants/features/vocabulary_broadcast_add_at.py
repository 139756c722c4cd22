"""build_vocabulary with broadcast distances (M, k, P) and the update by np.add.at and np.bincount."""
import numpy as np


def build_vocabulary(patches, k, num_iters=10, seed=0):
    rng = np.random.default_rng(seed)
    words = np.array(patches[rng.choice(len(patches), size=k, replace=False)], dtype=float)
    for _ in range(num_iters):
        assign = ((patches[:, None, :] - words[None, :, :]) ** 2).sum(axis=2).argmin(axis=1)
        sums = np.zeros_like(words)
        np.add.at(sums, assign, patches)
        counts = np.bincount(assign, minlength=k)
        words = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], words)
    return words
