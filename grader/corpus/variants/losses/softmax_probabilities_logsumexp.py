"""softmax, correct, as exp(scores - logsumexp(scores)) row by row with np.logaddexp.reduce."""
import numpy as np

def softmax(scores):
    scores = np.asarray(scores, dtype=float)
    return np.exp(scores - np.logaddexp.reduce(scores, axis=1, keepdims=True))
