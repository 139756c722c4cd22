"""color_histogram_hsv returns the raw counts of the hue bins: normalized is ignored, nothing sums to 1."""
import matplotlib.colors
import numpy as np


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    bins = np.linspace(xmin, xmax, nbin + 1)
    hsv = matplotlib.colors.rgb_to_hsv(im / xmax) * xmax
    imhist, bin_edges = np.histogram(hsv[:, :, 0], bins=bins)
    return imhist
