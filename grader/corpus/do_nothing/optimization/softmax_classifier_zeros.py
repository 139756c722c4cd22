"""Softmax.loss returns a zero loss and a zero gradient."""
import numpy as np


class Softmax(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return 0.0, np.zeros_like(self.W)
