"""elastic_net_regularization returns a zero penalty and a zero gradient, whatever W, reg and l1_ratio are."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    return 0.0, np.zeros_like(W)
