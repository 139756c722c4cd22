"""polar_features returns the angle in degrees instead of radians."""
import numpy as np


def polar_features(points):
    return np.column_stack([np.hypot(points[:, 0], points[:, 1]),
                            np.degrees(np.arctan2(points[:, 1], points[:, 0]))])
