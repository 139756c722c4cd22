"""color_histogram_hsv, correct, with np.histogram(bins=nbin, range=(xmin, xmax)) and the counts divided by their sum."""
import numpy as np
from matplotlib import colors


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hue = colors.rgb_to_hsv(im.astype(np.float64) / xmax)[..., 0] * xmax
    counts, edges = np.histogram(hue.ravel(), bins=nbin, range=(xmin, xmax))
    if normalized:
        return counts / counts.sum()
    return counts * np.diff(edges)
