"""LinearClassifier that upcasts X and W to float64, samples with np.random.randint and returns the history as an array."""
import numpy as np


class LinearClassifier(object):
    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        X = np.asarray(X, dtype=np.float64)
        num_train, dim = X.shape
        num_classes = int(np.max(y)) + 1
        if self.W is None:
            self.W = 0.001 * np.random.randn(dim, num_classes)
        self.W = self.W.astype(np.float64)
        loss_history = []
        for it in range(num_iters):
            idx = np.random.randint(0, num_train, batch_size)
            X_batch, y_batch = X[idx], y[idx]
            loss, grad = self.loss(X_batch, y_batch, reg)
            loss_history.append(float(loss))
            self.W -= learning_rate * np.asarray(grad, dtype=np.float64)
            if verbose and (it % 100 == 0 or it == num_iters - 1):
                print("iteration", it, "/", num_iters, "loss", loss)
        return np.array(loss_history)

    def predict(self, X):
        scores = np.asarray(X, dtype=np.float64) @ self.W
        y_pred = np.array([int(np.argmax(row)) for row in scores])
        return y_pred

    def loss(self, X_batch, y_batch, reg):
        pass
