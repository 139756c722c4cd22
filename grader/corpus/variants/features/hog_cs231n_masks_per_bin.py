"""hog_feature in CS231n's per-bin loop (np.where masks on the orientation), with the cell means by reshape instead of uniform_filter."""
import numpy as np


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
    grad_ori = np.arctan2(gy, (gx + 1e-15)) * (180 / np.pi) + 90
    grad_ori = np.where(grad_ori >= 180, grad_ori - 180, grad_ori)
    grad_ori = np.where(grad_ori < 0, grad_ori + 180, grad_ori)
    n_cellsx = int(np.floor(sx / cx))
    n_cellsy = int(np.floor(sy / cy))
    orientation_histogram = np.zeros((n_cellsx, n_cellsy, orientations))
    for i in range(orientations):
        in_bin = (grad_ori >= 180 / orientations * i) & (grad_ori < 180 / orientations * (i + 1))
        temp_mag = np.where(in_bin, grad_mag, 0)[:n_cellsx * cx, :n_cellsy * cy]
        orientation_histogram[:, :, i] = temp_mag.reshape(n_cellsx, cx, n_cellsy, cy).mean(axis=(1, 3))
    return orientation_histogram.ravel()
