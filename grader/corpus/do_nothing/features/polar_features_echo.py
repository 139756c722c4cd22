"""polar_features returns the points themselves (a copy), untransformed."""
import numpy as np


def polar_features(points):
    return np.array(points, dtype=float)
