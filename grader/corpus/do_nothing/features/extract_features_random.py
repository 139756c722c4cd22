"""extract_features returns seeded random numbers of shape (N, F_total)."""
import numpy as np


def extract_features(imgs, feature_fns):
    total = sum(np.ravel(fn(imgs[0])).size for fn in feature_fns)
    return np.random.default_rng(0).standard_normal((imgs.shape[0], total))
