"""hog_feature, correct, with the orientation in degrees by * 180 / np.pi, % 180, and the votes added by np.add.at."""
import numpy as np


def hog_feature(im):
    if im.ndim == 3:
        image = 0.299 * im[:, :, 0] + 0.587 * im[:, :, 1] + 0.114 * im[:, :, 2]
    else:
        image = np.array(im, dtype=np.float64)
    h, w = image.shape
    gx = np.zeros((h, w))
    gy = np.zeros((h, w))
    gx[:, :-1] = np.diff(image, axis=1)
    gy[:-1, :] = np.diff(image, axis=0)
    mag = np.sqrt(gx * gx + gy * gy)
    ori = (np.arctan2(gy, gx) * 180 / np.pi + 90) % 180
    b = np.clip(np.floor(ori / 20).astype(int), 0, 8)
    ny, nx = h // 8, w // 8
    hist = np.zeros((ny, nx, 9))
    ii, jj = np.meshgrid(np.arange(ny * 8), np.arange(nx * 8), indexing="ij")
    np.add.at(hist, (ii // 8, jj // 8, b[:ny * 8, :nx * 8]), mag[:ny * 8, :nx * 8])
    return (hist / 64).ravel()
