"""polar_features takes the angle with np.arctan(y / x), which cannot tell (x, y) from (-x, -y)."""
import numpy as np


def polar_features(points):
    x, y = points[:, 0], points[:, 1]
    radius = np.sqrt(x ** 2 + y ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        angle = np.arctan(y / x)
    return np.stack([radius, angle], axis=1)
