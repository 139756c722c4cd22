"""elastic_net_regularization returns random numbers of the right shapes (a fixed seed), unrelated to its inputs."""
import numpy as np


def elastic_net_regularization(W, reg, l1_ratio=0.5):
    rng = np.random.default_rng(0)
    return float(rng.random()), rng.standard_normal(np.shape(W))
