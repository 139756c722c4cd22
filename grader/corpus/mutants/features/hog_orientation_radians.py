"""hog_feature adds 90 to the orientation in radians and bins it as degrees (no np.degrees)."""
import numpy as np


def hog_feature(im):
    if im.ndim == 3:
        image = np.dot(im[..., :3], [0.299, 0.587, 0.114])
    else:
        image = np.asarray(im, dtype=np.float64)
    gx = np.zeros(image.shape)
    gy = np.zeros(image.shape)
    gx[:, :-1] = np.diff(image, n=1, axis=1)
    gy[:-1, :] = np.diff(image, n=1, axis=0)
    grad_mag = np.sqrt(gx ** 2 + gy ** 2)
    grad_ori = (np.arctan2(gy, gx) + 90) % 180
    ny, nx = image.shape[0] // 8, image.shape[1] // 8
    bins = np.minimum((grad_ori // 20).astype(int), 8)
    votes = (bins[..., None] == np.arange(9)) * grad_mag[..., None]
    return votes[:ny * 8, :nx * 8].reshape(ny, 8, nx, 8, 9).mean(axis=(1, 3)).ravel()
