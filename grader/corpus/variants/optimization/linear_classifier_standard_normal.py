"""LinearClassifier with np.random.standard_normal, np.random.randint batches, an array history and int64 labels."""
import numpy as np


class LinearClassifier(object):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        num_train, dim = X.shape
        if self.W is None:
            self.W = 0.001 * np.random.standard_normal((dim, int(y.max()) + 1))
        loss_history = np.zeros(num_iters)
        for it in range(num_iters):
            idx = np.random.randint(num_train, size=batch_size)
            loss_history[it], grad = self.loss(X[idx], y[idx], reg)
            self.W = self.W - learning_rate * grad
            if verbose and it % 100 == 0:
                print(f"iteration {it} / {num_iters}: loss {loss_history[it]:f}")
        return loss_history

    def predict(self, X):
        return np.argmax(X @ self.W, axis=1).astype(np.int64)

    def loss(self, X_batch, y_batch, reg):
        pass
