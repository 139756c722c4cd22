"""extract_features puts the features of the functions in reverse order of feature_fns."""
import numpy as np


def extract_features(imgs, feature_fns):
    rows = []
    for im in imgs:
        rows.append(np.hstack([fn(im) for fn in feature_fns[::-1]]))
    return np.array(rows)
