"""softmax that returns the uniform distribution 1/C for every row."""
import numpy as np

def softmax(scores):
    scores = np.asarray(scores, dtype=float)
    return np.full(scores.shape, 1.0 / scores.shape[1])
