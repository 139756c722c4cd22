"""softmax exponentiates the raw scores: exp overflows for scores in the hundreds."""
import numpy as np

def softmax(scores):
    exp_scores = np.exp(np.asarray(scores, dtype=float))
    return exp_scores / np.sum(exp_scores, axis=1, keepdims=True)
