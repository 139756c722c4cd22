"""color_histogram_hsv lets np.histogram choose bins from the image's own hue range instead of nbin bins over [xmin, xmax]."""
import matplotlib.colors
import numpy as np


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hsv = matplotlib.colors.rgb_to_hsv(im / xmax) * xmax
    imhist, bin_edges = np.histogram(hsv[:, :, 0], bins=nbin, density=normalized)
    return imhist * np.diff(bin_edges)
