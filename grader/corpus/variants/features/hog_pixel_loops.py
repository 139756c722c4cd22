"""hog_feature with plain loops over the pixels and math.atan2, accumulating each cell's mean directly."""
import math

import numpy as np


def hog_feature(im):
    if im.ndim == 3:
        image = 0.299 * im[..., 0] + 0.587 * im[..., 1] + 0.114 * im[..., 2]
    else:
        image = np.asarray(im, dtype=float)
    h, w = image.shape
    hist = np.zeros((h // 8, w // 8, 9))
    for i in range(h // 8 * 8):
        for j in range(w // 8 * 8):
            gx = image[i, j + 1] - image[i, j] if j + 1 < w else 0.0
            gy = image[i + 1, j] - image[i, j] if i + 1 < h else 0.0
            angle = (math.degrees(math.atan2(gy, gx)) + 90.0) % 180.0
            hist[i // 8, j // 8, min(int(angle // 20), 8)] += math.hypot(gx, gy) / 64.0
    return hist.ravel()
