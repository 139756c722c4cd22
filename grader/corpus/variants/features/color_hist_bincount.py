"""color_histogram_hsv bins the hue with np.floor and counts with np.bincount instead of np.histogram."""
import matplotlib.colors
import numpy as np


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0].ravel() * xmax
    width = (xmax - xmin) / nbin
    index = np.clip(np.floor((hue - xmin) / width).astype(int), 0, nbin - 1)
    counts = np.bincount(index, minlength=nbin).astype(np.float64)
    return counts / counts.sum() if normalized else counts * width
