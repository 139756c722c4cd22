"""hog_feature keeps CS231n's `.T` on the cell grid (folded, 0.114), so it breaks on images that are not square."""
import numpy as np
from scipy.ndimage import uniform_filter


def hog_feature(im):
    if im.ndim == 3:
        image = np.dot(im[..., :3], [0.299, 0.587, 0.114])
    else:
        image = np.atleast_2d(im)
    sx, sy = image.shape
    orientations = 9
    cx, cy = (8, 8)
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = (np.arctan2(gy, (gx + 1e-15)) * (180 / np.pi) + 90) % 180
    n_cellsx = int(np.floor(sx / cx))
    n_cellsy = int(np.floor(sy / cy))
    orientation_histogram = np.zeros((n_cellsx, n_cellsy, orientations))
    for i in range(orientations):
        temp_ori = np.where(grad_ori < 180 / orientations * (i + 1), grad_ori, -1)
        temp_ori = np.where(grad_ori >= 180 / orientations * i, temp_ori, -1)
        temp_mag = np.where(temp_ori >= 0, grad_mag, 0)
        orientation_histogram[:, :, i] = uniform_filter(temp_mag, size=(cx, cy))[
            round(cx / 2)::cx, round(cy / 2)::cy].T
    return orientation_histogram.ravel()
