"""bow_histogram with the expanded squared distance |p|^2 - 2 p.w + |w|^2 and np.histogram over word indices."""
import numpy as np


def bow_histogram(patches, vocabulary):
    d = (np.sum(patches ** 2, axis=1)[:, None] - 2 * patches @ vocabulary.T
         + np.sum(vocabulary ** 2, axis=1)[None, :])
    k = vocabulary.shape[0]
    counts, _ = np.histogram(np.argmin(d, axis=1), bins=np.arange(k + 1))
    return counts / counts.sum()
