"""multiclass_hinge_loss sums over every class, j = y_i included: each example gets 1 too many."""
import numpy as np

def multiclass_hinge_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    correct = scores[np.arange(scores.shape[0]), y][:, np.newaxis]
    return np.maximum(0.0, scores - correct + 1.0).sum(axis=1)
