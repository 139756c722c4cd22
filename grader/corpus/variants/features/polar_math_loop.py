"""polar_features, correct, with a Python loop over the points and math.hypot / math.atan2."""
import math

import numpy as np


def polar_features(points):
    out = np.zeros((points.shape[0], 2))
    for i in range(points.shape[0]):
        x, y = float(points[i, 0]), float(points[i, 1])
        out[i, 0] = math.hypot(x, y)
        out[i, 1] = math.atan2(y, x)
    return out
