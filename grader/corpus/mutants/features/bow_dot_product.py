"""bow_histogram picks each patch's word by the largest dot product instead of the smallest distance."""
import numpy as np


def bow_histogram(patches, vocabulary):
    nearest = np.argmax(patches @ vocabulary.T, axis=1)
    return np.bincount(nearest, minlength=vocabulary.shape[0]) / patches.shape[0]
