"""LinearClassifier sampling with np.random.choice(replace=False), the history kept in a numpy array, verbose prints every 100 iterations."""
import numpy as np


class LinearClassifier(object):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        num_train, dim = X.shape
        num_classes = np.max(y) + 1
        if self.W is None:
            self.W = np.random.randn(dim, num_classes) * 0.001
        loss_history = np.zeros(num_iters)
        for it in range(num_iters):
            indices = np.random.choice(num_train, batch_size, replace=False)
            loss, grad = self.loss(X[indices, :], y[indices], reg)
            loss_history[it] = loss
            self.W = self.W - learning_rate * grad
            if verbose and it % 100 == 0:
                print(f"iteration {it} / {num_iters}: loss {loss:.6f}")
        return loss_history

    def predict(self, X):
        return X.dot(self.W).argmax(axis=1)

    def loss(self, X_batch, y_batch, reg):
        pass
