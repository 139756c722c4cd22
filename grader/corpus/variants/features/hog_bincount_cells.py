"""hog_feature, correct, vectorized: np.rad2deg and np.mod for the orientation, one np.bincount over cell * 9 + bin."""
import numpy as np


def hog_feature(im):
    image = np.dot(im[..., :3], [0.299, 0.587, 0.114]) if im.ndim == 3 else im.astype(np.float64)
    gx = np.zeros_like(image)
    gy = np.zeros_like(image)
    gx[:, :-1] = image[:, 1:] - image[:, :-1]
    gy[:-1, :] = image[1:, :] - image[:-1, :]
    magnitude = np.hypot(gx, gy)
    orientation = np.mod(np.rad2deg(np.arctan2(gy, gx)) + 90.0, 180.0)
    bins = np.minimum((orientation / 20.0).astype(int), 8)
    n_y, n_x = image.shape[0] // 8, image.shape[1] // 8
    rows = np.arange(n_y * 8) // 8
    cols = np.arange(n_x * 8) // 8
    cell = rows[:, None] * n_x + cols[None, :]
    index = cell * 9 + bins[:n_y * 8, :n_x * 8]
    sums = np.bincount(index.ravel(), weights=magnitude[:n_y * 8, :n_x * 8].ravel(), minlength=n_y * n_x * 9)
    return sums / 64.0
