"""LinearClassifier whose train evaluates the first rows without updating W and returns a constant history; predict returns class 0."""
import numpy as np


class LinearClassifier(object):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        num_train, dim = X.shape
        if self.W is None:
            self.W = 0.001 * np.random.randn(dim, np.max(y) + 1)
        loss, grad = self.loss(X[:batch_size], y[:batch_size], reg)
        return [loss] * num_iters

    def predict(self, X):
        return np.full(X.shape[0], 0)

    def loss(self, X_batch, y_batch, reg):
        pass
