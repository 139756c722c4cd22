"""extract_features builds a list of rows with np.hstack, then stacks them with np.array."""
import numpy as np


def extract_features(imgs, feature_fns):
    rows = []
    for im in imgs:
        rows.append(np.hstack([np.ravel(fn(im)) for fn in feature_fns]))
    return np.array(rows, dtype=np.float64)
