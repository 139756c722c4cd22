"""build_vocabulary, correct, nearest word by np.linalg.norm (not squared), means by np.bincount with weights per dimension."""
import numpy as np


def build_vocabulary(patches, k, num_iters=10, seed=0):
    X = np.asarray(patches, dtype=np.float64)
    rng = np.random.default_rng(seed)
    centers = X[rng.choice(X.shape[0], size=k, replace=False)].copy()
    for _ in range(num_iters):
        labels = np.argmin(np.linalg.norm(X[:, None, :] - centers[None, :, :], axis=2), axis=1)
        counts = np.bincount(labels, minlength=k)
        for d in range(X.shape[1]):
            sums = np.bincount(labels, weights=X[:, d], minlength=k)
            centers[counts > 0, d] = sums[counts > 0] / counts[counts > 0]
    return centers
