"""hog_feature keeps CS231n's orientation arctan2 + 90 without % 180: every gradient with gx < 0 is dropped."""
import numpy as np


def hog_feature(im):
    if im.ndim == 3:
        image = np.dot(im[..., :3], [0.299, 0.587, 0.114])
    else:
        image = np.asarray(im, dtype=np.float64)
    sx, sy = image.shape
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = np.arctan2(gy, (gx + 1e-15)) * (180 / np.pi) + 90
    n_cellsx, n_cellsy = sx // 8, sy // 8
    orientation_histogram = np.zeros((n_cellsx, n_cellsy, 9))
    for i in range(9):
        temp_ori = np.where(grad_ori < 180 / 9 * (i + 1), grad_ori, 0)
        temp_ori = np.where(grad_ori >= 180 / 9 * i, temp_ori, 0)
        temp_mag = np.where(temp_ori > 0, grad_mag, 0)
        cells = temp_mag[:n_cellsx * 8, :n_cellsy * 8].reshape(n_cellsx, 8, n_cellsy, 8)
        orientation_histogram[:, :, i] = cells.mean(axis=(1, 3))
    return orientation_histogram.ravel()
