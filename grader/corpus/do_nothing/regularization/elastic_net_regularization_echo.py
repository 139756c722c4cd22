"""elastic_net_regularization hands its inputs back: R = l1_ratio * reg and dR = W."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    return l1_ratio * reg, W.copy()
