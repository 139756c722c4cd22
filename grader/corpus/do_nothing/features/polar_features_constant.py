"""polar_features returns the same row [1, 0] for every point."""
import numpy as np


def polar_features(points):
    return np.tile([1.0, 0.0], (len(points), 1))
