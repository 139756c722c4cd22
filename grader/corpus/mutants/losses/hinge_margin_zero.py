"""multiclass_hinge_loss uses margin (delta) 0 instead of 1."""
import numpy as np

def multiclass_hinge_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    rows = np.arange(scores.shape[0])
    margins = np.maximum(0.0, scores - scores[rows, y][:, np.newaxis])
    margins[rows, y] = 0.0
    return margins.sum(axis=1)
