"""bow_histogram, correct, with Python loops: each patch's nearest word by a running minimum, then counts / M."""
import numpy as np


def bow_histogram(patches, vocabulary):
    hist = np.zeros(vocabulary.shape[0])
    for p in patches:
        best, best_d = 0, np.inf
        for j, w in enumerate(vocabulary):
            d = np.sum((p - w) ** 2)
            if d < best_d:
                best, best_d = j, d
        hist[best] += 1
    return hist / len(patches)
