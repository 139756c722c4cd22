"""softmax normalizes each column (over the examples) instead of each row."""
import numpy as np

def softmax(scores):
    scores = np.asarray(scores, dtype=float)
    exp_scores = np.exp(scores - np.max(scores, axis=0, keepdims=True))
    return exp_scores / np.sum(exp_scores, axis=0, keepdims=True)
