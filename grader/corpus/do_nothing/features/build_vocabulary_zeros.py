"""build_vocabulary returns k words of zeros, whatever the patches."""
import numpy as np


def build_vocabulary(patches, k, num_iters=10, seed=0):
    return np.zeros((k, patches.shape[1]))
