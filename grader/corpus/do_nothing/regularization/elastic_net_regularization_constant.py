"""elastic_net_regularization returns the penalty 1 and a gradient of ones, whatever W, reg and l1_ratio are."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    return 1.0, np.ones_like(W)
