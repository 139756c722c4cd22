"""LinearClassifier whose train returns a history of zeros without training and whose predict returns zeros."""
import numpy as np


class LinearClassifier(object):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        return np.zeros(num_iters)

    def predict(self, X):
        return np.zeros(X.shape[0], dtype=np.int64)

    def loss(self, X_batch, y_batch, reg):
        pass
