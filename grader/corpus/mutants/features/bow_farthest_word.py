"""bow_histogram assigns each patch to its farthest word (argmax of the distances) instead of the nearest."""
import numpy as np


def bow_histogram(patches, vocabulary):
    distances = ((patches[:, None, :] - vocabulary[None, :, :]) ** 2).sum(axis=2)
    counts = np.bincount(distances.argmax(axis=1), minlength=len(vocabulary)).astype(float)
    return counts / counts.sum()
