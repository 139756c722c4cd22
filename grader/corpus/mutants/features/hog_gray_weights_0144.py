"""hog_feature converts to gray with CS231n's typo 0.299 R + 0.587 G + 0.144 B (blue weighs 0.114)."""
import numpy as np


def hog_feature(im):
    if im.ndim == 3:
        image = np.dot(im[..., :3], [0.299, 0.587, 0.144])
    else:
        image = np.asarray(im, dtype=np.float64)
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = (np.degrees(np.arctan2(gy, gx)) + 90) % 180
    ny, nx = image.shape[0] // 8, image.shape[1] // 8
    bins = np.minimum((grad_ori // 20).astype(int), 8)
    votes = (bins[..., None] == np.arange(9)) * grad_mag[..., None]
    return votes[:ny * 8, :nx * 8].reshape(ny, 8, nx, 8, 9).mean(axis=(1, 3)).ravel()
