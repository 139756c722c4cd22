"""softmax that returns zeros shaped like the scores."""
import numpy as np

def softmax(scores):
    return np.zeros(np.shape(scores))
