"""extract_features, correct, one function at a time: each function's (N, F_i) block written into its columns of np.empty."""
import numpy as np


def extract_features(imgs, feature_fns):
    blocks = [np.array([np.ravel(fn(img)) for img in imgs], dtype=np.float64) for fn in feature_fns]
    out = np.empty((len(imgs), sum(b.shape[1] for b in blocks)))
    start = 0
    for b in blocks:
        out[:, start:start + b.shape[1]] = b
        start += b.shape[1]
    return out
