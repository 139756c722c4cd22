"""softmax, correct, one row at a time with the row's max subtracted, in float64."""
import numpy as np


def softmax(scores):
    scores = np.asarray(scores, dtype=np.float64)
    probs = np.empty_like(scores)
    for i in range(scores.shape[0]):
        shifted = scores[i] - np.max(scores[i])
        exps = np.exp(shifted)
        probs[i] = exps / np.sum(exps)
    return probs
