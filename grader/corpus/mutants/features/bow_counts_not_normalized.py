"""bow_histogram returns how many patches chose each word, not the fraction (it does not sum to 1)."""
import numpy as np


def bow_histogram(patches, vocabulary):
    dists = np.sum((patches[:, None, :] - vocabulary[None, :, :]) ** 2, axis=2)
    nearest = np.argmin(dists, axis=1)
    return np.bincount(nearest, minlength=vocabulary.shape[0]).astype(np.float64)
