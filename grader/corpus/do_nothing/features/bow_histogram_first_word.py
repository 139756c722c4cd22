"""bow_histogram puts every patch on the first word, whatever the patches."""
import numpy as np


def bow_histogram(patches, vocabulary):
    hist = np.zeros(len(vocabulary))
    hist[0] = 1.0
    return hist
