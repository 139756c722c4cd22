"""multiclass_hinge_loss, correct, with plain Python loops over examples and classes."""
import numpy as np

def multiclass_hinge_loss(scores, y):
    scores = np.asarray(scores, dtype=float)
    losses = np.zeros(scores.shape[0])
    for i in range(scores.shape[0]):
        for j in range(scores.shape[1]):
            if j != y[i]:
                losses[i] += max(0.0, scores[i, j] - scores[i, y[i]] + 1.0)
    return losses
