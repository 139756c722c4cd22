"""multiclass_hinge_loss that returns the same positive loss for every example."""
import numpy as np

def multiclass_hinge_loss(scores, y):
    return np.full(len(y), 2.0)
