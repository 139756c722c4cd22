"""random_search evaluates the same constant W in every try and returns it with its loss."""
import numpy as np


def random_search(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    W = 0.001 * np.ones((dim, num_classes))
    best_loss = float("inf")
    for _ in range(num_tries):
        loss, _ = loss_fn(W)
        best_loss = min(best_loss, loss)
    return W, best_loss
