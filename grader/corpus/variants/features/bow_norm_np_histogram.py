"""bow_histogram, correct, nearest word by np.linalg.norm, counted by np.histogram over integer bins, normalized by its sum."""
import numpy as np


def bow_histogram(patches, vocabulary):
    dists = np.linalg.norm(patches[:, np.newaxis, :] - vocabulary[np.newaxis, :, :], axis=-1)
    nearest = np.argmin(dists, axis=1)
    counts, _ = np.histogram(nearest, bins=np.arange(vocabulary.shape[0] + 1))
    return counts / counts.sum()
