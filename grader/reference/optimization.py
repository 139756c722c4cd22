"""Reference optimizers in CS231n's conventions: random search, full-batch gradient descent,
minibatch sampling and a linear classifier trained by minibatch SGD.

Trusted code for the checks of optimization.ipynb. Unlike the student's classifier, which draws from
`np.random` (CS231n's API), everything random here takes a `np.random.Generator`, so the grader never
touches (or depends on) the global random state of the student's kernel.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .losses import softmax_loss, svm_loss

LossFn = Callable[[np.ndarray], tuple[float, np.ndarray]]

# The training budget of the tuning exercise: the notebook asks students to tune with these.
TUNING_NUM_ITERS = 500
TUNING_BATCH_SIZE = 200
TUNING_SEED = 0


def random_search(loss_fn: LossFn, dim: int, num_classes: int, num_tries: int,
                  rng: np.random.Generator, scale: float = 1e-3) -> tuple[np.ndarray, float]:
    """Strategy #1 of the lecture: try `num_tries` random W = scale * N(0, 1) of shape (dim, num_classes)
    and keep the one with the lowest loss. Returns (best W, best loss)."""
    best_W, best_loss = None, np.inf
    for _ in range(num_tries):
        W = scale * rng.standard_normal((dim, num_classes))
        loss = float(loss_fn(W)[0])
        if loss < best_loss:
            best_W, best_loss = W, loss
    return best_W, best_loss


def gradient_descent(loss_fn: LossFn, W0: np.ndarray, learning_rate: float,
                     num_iters: int) -> tuple[np.ndarray, list[float]]:
    """Vanilla (full-batch) gradient descent. history[t] is the loss at the t-th iterate, before its step."""
    W = np.array(W0, dtype=np.float64, copy=True)
    history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        history.append(float(loss))
        W = W - learning_rate * dW
    return W, history


def sample_minibatch(X: np.ndarray, y: np.ndarray, batch_size: int,
                     rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """`batch_size` examples drawn with replacement; rows of X and labels of y stay aligned."""
    idx = rng.integers(0, X.shape[0], size=batch_size)
    return X[idx], y[idx]


class LinearClassifier:
    """CS231n's LinearClassifier, with an explicit Generator instead of np.random."""

    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200,
              rng: np.random.Generator | None = None) -> list[float]:
        rng = rng if rng is not None else np.random.default_rng(TUNING_SEED)
        num_train, dim = X.shape
        num_classes = int(np.max(y)) + 1
        if self.W is None:
            self.W = 0.001 * rng.standard_normal((dim, num_classes))
        history = []
        for _ in range(num_iters):
            X_batch, y_batch = sample_minibatch(X, y, batch_size, rng)
            loss, grad = self.loss(X_batch, y_batch, reg)
            history.append(float(loss))
            self.W = self.W - learning_rate * grad
        return history

    def predict(self, X) -> np.ndarray:
        return np.argmax(X @ self.W, axis=1)

    def loss(self, X_batch, y_batch, reg):  # pragma: no cover - supplied by subclasses
        raise NotImplementedError


class LinearSVM(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return svm_loss(self.W, X_batch, y_batch, reg)


class Softmax(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return softmax_loss(self.W, X_batch, y_batch, reg)


def accuracy(classifier: LinearClassifier, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean(classifier.predict(X) == y))


def train_softmax(X, y, learning_rate: float, reg: float, num_iters: int = TUNING_NUM_ITERS,
                  batch_size: int = TUNING_BATCH_SIZE, seed: int = TUNING_SEED) -> tuple[Softmax, list[float]]:
    """The reference Softmax trained deterministically (its own Generator seeded with `seed`)."""
    classifier = Softmax()
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        history = classifier.train(X, y, learning_rate=learning_rate, reg=reg, num_iters=num_iters,
                                   batch_size=batch_size, rng=np.random.default_rng(seed))
    return classifier, history


def validation_accuracy(data: dict, learning_rate: float, reg: float, num_iters: int = TUNING_NUM_ITERS,
                        batch_size: int = TUNING_BATCH_SIZE, seed: int = TUNING_SEED) -> tuple[float, float]:
    """(validation accuracy, test accuracy) of the reference Softmax trained with these hyperparameters
    on data["X_train"], data["y_train"]. A diverged W (nan or inf) counts as accuracy 0."""
    classifier, _ = train_softmax(data["X_train"], data["y_train"], learning_rate, reg, num_iters, batch_size, seed)
    if not np.all(np.isfinite(classifier.W)):
        return 0.0, 0.0
    return accuracy(classifier, data["X_val"], data["y_val"]), accuracy(classifier, data["X_test"], data["y_test"])
