"""softmax divides by the sum over the whole array instead of each row's sum (no axis, no keepdims)."""
import numpy as np


def softmax(scores):
    scores = np.asarray(scores, dtype=float)
    exp_scores = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    return exp_scores / np.sum(exp_scores)
