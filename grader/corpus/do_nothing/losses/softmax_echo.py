"""softmax that returns the scores unchanged."""
import numpy as np

def softmax(scores):
    return np.array(scores, dtype=float)
