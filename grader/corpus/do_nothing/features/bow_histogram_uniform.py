"""bow_histogram returns the uniform histogram 1 / k, whatever the patches."""
import numpy as np


def bow_histogram(patches, vocabulary):
    return np.full(len(vocabulary), 1.0 / len(vocabulary))
