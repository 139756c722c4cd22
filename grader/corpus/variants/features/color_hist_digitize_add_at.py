"""color_histogram_hsv, correct, upcast to float64, bins by np.digitize on the inner edges and counts by np.add.at."""
import numpy as np
from matplotlib.colors import rgb_to_hsv


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    image = np.asarray(im, dtype=np.float64)
    hue = rgb_to_hsv(image / xmax)[:, :, 0].reshape(-1) * xmax
    edges = np.linspace(xmin, xmax, nbin + 1)
    index = np.digitize(hue, edges[1:-1])
    hist = np.zeros(nbin)
    np.add.at(hist, index, 1.0)
    if normalized:
        hist /= hue.size
    else:
        hist *= np.diff(edges)
    return hist
