"""elastic_net_regularization written out from its pieces, without calling the L1 and L2 functions."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    l1_part = reg * np.sum(np.abs(W))
    l2_part = reg * np.sum(W ** 2)
    R = l1_ratio * l1_part + (1.0 - l1_ratio) * l2_part
    dR = l1_ratio * reg * np.sign(W) + (1.0 - l1_ratio) * 2.0 * reg * W
    return R, dR
