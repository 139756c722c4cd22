"""extract_features stacks the functions' feature blocks with np.vstack (on top of each other), not side by side."""
import numpy as np


def extract_features(imgs, feature_fns):
    blocks = []
    for fn in feature_fns:
        blocks.append(np.array([fn(im) for im in imgs]))   # (N, F_i)
    return np.vstack(blocks)
