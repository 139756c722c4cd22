"""multiclass_hinge_loss, correct, with np.maximum and a boolean mask for the true classes."""
import numpy as np


def multiclass_hinge_loss(scores, y):
    scores = np.asarray(scores, dtype=np.float64)
    n = scores.shape[0]
    correct = scores[np.arange(n), y].reshape(-1, 1)
    margins = np.maximum(0, scores - correct + 1)
    mask = np.ones_like(margins, dtype=bool)
    mask[np.arange(n), y] = False
    return np.sum(margins * mask, axis=1)
