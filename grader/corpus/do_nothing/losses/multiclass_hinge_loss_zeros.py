"""multiclass_hinge_loss that returns zeros, one per example, whatever the scores."""
import numpy as np

def multiclass_hinge_loss(scores, y):
    return np.zeros(len(y))
