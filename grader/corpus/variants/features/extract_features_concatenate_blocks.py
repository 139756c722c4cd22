"""extract_features computes one (N, F_i) block per function and joins them with np.concatenate(axis=1)."""
import numpy as np


def extract_features(imgs, feature_fns):
    blocks = [np.stack([np.ravel(fn(im)) for im in imgs]) for fn in feature_fns]
    return np.concatenate(blocks, axis=1)
