"""color_histogram_hsv, correct, with a loop over the pixels, colorsys.rgb_to_hsv and a counter per bin."""
import colorsys

import numpy as np


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    edges = np.linspace(xmin, xmax, nbin + 1)
    counts = np.zeros(nbin)
    height, width = im.shape[0], im.shape[1]
    for i in range(height):
        for j in range(width):
            r, g, b = (float(v) / xmax for v in im[i, j, :3])
            hue = colorsys.rgb_to_hsv(r, g, b)[0] * xmax
            k = int(np.searchsorted(edges, hue, side="right")) - 1
            counts[min(max(k, 0), nbin - 1)] += 1
    if normalized:
        return counts / counts.sum()
    return counts * np.diff(edges)
