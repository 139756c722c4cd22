"""color_histogram_hsv returns nbin zeros, whatever the image."""
import numpy as np


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    return np.zeros(nbin)
