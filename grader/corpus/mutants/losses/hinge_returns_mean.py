"""multiclass_hinge_loss returns the mean loss over the examples instead of one loss per example."""
import numpy as np

def multiclass_hinge_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    rows = np.arange(scores.shape[0])
    margins = np.maximum(0.0, scores - scores[rows, y][:, np.newaxis] + 1.0)
    margins[rows, y] = 0.0
    return margins.sum(axis=1).mean()
