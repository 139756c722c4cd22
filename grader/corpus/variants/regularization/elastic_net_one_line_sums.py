"""elastic_net_regularization as one expression per output: reg times the mixed sum, np.sign for the L1 part."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    R = reg * np.sum(l1_ratio * np.abs(W) + (1 - l1_ratio) * W ** 2)
    dR = reg * (l1_ratio * np.sign(W) + 2 * (1 - l1_ratio) * W)
    return R, dR
