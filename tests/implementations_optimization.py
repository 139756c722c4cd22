"""Student-style answers for the checks of optimization.ipynb: correct variants written in different
ways, and realistic buggy ones with exactly one mistake each.

A plain module (no pytest, no grader imports): every function and class has the student API of
solutions/lecture3/optimization.ipynb. The classes' `loss` comes from the notebook's provided losses,
copied here.
"""

from __future__ import annotations

import numpy as np

# -- the notebook's provided losses -----------------------------------------------------------------


def svm_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    scores = X.dot(W)
    margins = scores - scores[np.arange(n), y][:, None] + 1.0
    margins[np.arange(n), y] = 0.0
    positive = (margins > 0).astype(np.float64)
    loss = np.maximum(0.0, margins).sum() / n + reg * np.sum(W * W)
    positive[np.arange(n), y] = -positive.sum(axis=1)
    dW = X.T.dot(positive) / n + 2 * reg * W
    return float(loss), dW


def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    scores = X.dot(W)
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), y].sum() / n + reg * np.sum(W * W)
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1.0
    dW = X.T.dot(dscores) / n + 2 * reg * W
    return float(loss), dW


def stub(*args, **kwargs):
    raise NotImplementedError()


# ================================================================================================
# random_search(loss_fn, dim, num_classes, num_tries=1000, rng=None) -> (best_W, best_loss)
# ================================================================================================


def rs_solution(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    best_W, best_loss = None, float("inf")
    for _ in range(num_tries):
        if rng is None:
            W = 0.001 * np.random.randn(dim, num_classes)
        else:
            W = 0.001 * rng.standard_normal((dim, num_classes))
        loss, _ = loss_fn(W)
        if loss < best_loss:
            best_W, best_loss = W, loss
    return best_W, best_loss


def rs_module_as_generator(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    """np.random (the module) has standard_normal too: one code path for both."""
    source = np.random if rng is None else rng
    tries = [source.standard_normal((dim, num_classes)) * 1e-3 for _ in range(num_tries)]
    losses = [loss_fn(W)[0] for W in tries]
    best = int(np.argmin(losses))
    return tries[best], losses[best]


def rs_normal(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    """rng.normal(0, 0.001, ...) and a tuple (loss, W) compared with min."""
    best = None
    for _ in range(num_tries):
        W = (np.random.normal if rng is None else rng.normal)(0.0, 0.001, size=(dim, num_classes))
        candidate = (float(loss_fn(W)[0]), W)
        if best is None or candidate[0] < best[0]:
            best = candidate
    return best[1], best[0]


def rs_evaluates_twice(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    """Wasteful but correct: evaluates each try's loss twice."""
    best_W, best_loss = None, np.inf
    for _ in range(num_tries):
        W = 0.001 * (np.random.randn(dim, num_classes) if rng is None else rng.standard_normal((dim, num_classes)))
        if loss_fn(W)[0] < best_loss:
            best_W, best_loss = W, loss_fn(W)[0]
    return best_W, best_loss


def rs_returns_last(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    best_loss = float("inf")
    for _ in range(num_tries):
        W = 0.001 * (np.random.randn(dim, num_classes) if rng is None else rng.standard_normal((dim, num_classes)))
        loss, _ = loss_fn(W)
        if loss < best_loss:
            best_loss = loss
    return W, best_loss


def rs_keeps_worst(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    best_W, best_loss = None, -float("inf")
    for _ in range(num_tries):
        W = 0.001 * (np.random.randn(dim, num_classes) if rng is None else rng.standard_normal((dim, num_classes)))
        loss, _ = loss_fn(W)
        if loss > best_loss:
            best_W, best_loss = W, loss
    return best_W, best_loss


def rs_last_loss(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    best_W, best_loss = None, float("inf")
    for _ in range(num_tries):
        W = 0.001 * (np.random.randn(dim, num_classes) if rng is None else rng.standard_normal((dim, num_classes)))
        loss, _ = loss_fn(W)
        if loss < best_loss:
            best_W, best_loss = W, loss
    return best_W, loss


def rs_draws_once(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    W = 0.001 * (np.random.randn(dim, num_classes) if rng is None else rng.standard_normal((dim, num_classes)))
    best_W, best_loss = None, float("inf")
    for _ in range(num_tries):
        loss, _ = loss_fn(W)
        if loss < best_loss:
            best_W, best_loss = W, loss
    return best_W, best_loss


def rs_ignores_rng(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    best_W, best_loss = None, float("inf")
    for _ in range(num_tries):
        W = 0.001 * np.random.randn(dim, num_classes)
        loss, _ = loss_fn(W)
        if loss < best_loss:
            best_W, best_loss = W, loss
    return best_W, best_loss


def rs_private_generator(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    """rng=None makes a fresh, unseeded Generator: np.random.seed no longer controls it."""
    rng = rng if rng is not None else np.random.default_rng()
    return rs_solution(loss_fn, dim, num_classes, num_tries, rng)


# ================================================================================================
# gradient_descent(loss_fn, W0, learning_rate, num_iters) -> (W, loss_history)
# ================================================================================================


def gd_solution(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    loss_history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        loss_history.append(loss)
        W = W - learning_rate * dW
    return W, loss_history


def gd_in_place_on_copy(loss_fn, W0, learning_rate, num_iters):
    """CS231n's `weights += - step_size * weights_grad`, on a copy; history as a numpy array."""
    weights = np.array(W0, dtype=float)
    history = np.zeros(num_iters)
    for t in range(num_iters):
        history[t], weights_grad = loss_fn(weights)
        weights += - learning_rate * weights_grad
    return weights, history


def gd_while(loss_fn, W0, learning_rate, num_iters):
    W, history, t = np.copy(W0), [], 0
    while t < num_iters:
        loss, grad = loss_fn(W)
        history += [float(loss)]
        W -= learning_rate * grad
        t += 1
    return W, history


def gd_uphill(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        history.append(loss)
        W = W + learning_rate * dW
    return W, history


def gd_uses_loss(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        history.append(loss)
        W = W - learning_rate * loss
    return W, history


def gd_modifies_W0(loss_fn, W0, learning_rate, num_iters):
    W = W0
    history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        history.append(loss)
        W -= learning_rate * dW
    return W, history


def gd_lr_ignored(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    history = []
    for _ in range(num_iters):
        loss, dW = loss_fn(W)
        history.append(loss)
        W = W - dW
    return W, history


def gd_history_after_step(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    history = []
    for _ in range(num_iters):
        _, dW = loss_fn(W)
        W = W - learning_rate * dW
        history.append(loss_fn(W)[0])
    return W, history


def gd_one_step_short(loss_fn, W0, learning_rate, num_iters):
    W = W0.copy()
    history = [loss_fn(W)[0]]
    for _ in range(num_iters - 1):
        loss, dW = loss_fn(W)
        W = W - learning_rate * dW
        history.append(loss_fn(W)[0])
    return W, history


# ================================================================================================
# sample_minibatch(X, y, batch_size, rng=None) -> (X_batch, y_batch)
# ================================================================================================


def sm_solution(X, y, batch_size, rng=None):
    num_train = X.shape[0]
    if rng is None:
        idx = np.random.choice(num_train, batch_size, replace=True)
    else:
        idx = rng.choice(num_train, batch_size, replace=True)
    return X[idx], y[idx]


def sm_integers(X, y, batch_size, rng=None):
    n = len(y)
    idx = np.random.randint(0, n, size=batch_size) if rng is None else rng.integers(0, n, size=batch_size)
    return X[idx, :], y[idx]


def sm_without_replacement_when_possible(X, y, batch_size, rng=None):
    choice = np.random.choice if rng is None else rng.choice
    idx = choice(X.shape[0], batch_size, replace=batch_size > X.shape[0])
    return X[idx], y[idx]


def sm_take(X, y, batch_size, rng=None):
    rng = np.random if rng is None else rng
    idx = rng.choice(np.arange(X.shape[0]), size=batch_size)
    return np.take(X, idx, axis=0), np.take(y, idx)


def sm_two_draws(X, y, batch_size, rng=None):
    rng = np.random if rng is None else rng
    X_batch = X[rng.choice(X.shape[0], batch_size)]
    y_batch = y[rng.choice(X.shape[0], batch_size)]
    return X_batch, y_batch


def sm_first_rows(X, y, batch_size, rng=None):
    return X[:batch_size], y[:batch_size]


def sm_no_replacement(X, y, batch_size, rng=None):
    rng = np.random if rng is None else rng
    idx = rng.choice(X.shape[0], batch_size, replace=False)
    return X[idx], y[idx]


def sm_ignores_rng(X, y, batch_size, rng=None):
    idx = np.random.choice(X.shape[0], batch_size)
    return X[idx], y[idx]


def sm_private_generator(X, y, batch_size, rng=None):
    rng = rng if rng is not None else np.random.default_rng()
    idx = rng.choice(X.shape[0], batch_size)
    return X[idx], y[idx]


def sm_shuffles_in_place(X, y, batch_size, rng=None):
    """Shuffles X and y together in place (aligned), then takes the first rows: changes the caller's data
    and fails for batch_size > N."""
    rng = np.random.default_rng() if rng is None else rng
    perm = rng.permutation(X.shape[0])
    X[:] = X[perm]
    y[:] = y[perm]
    return X[:batch_size].copy(), y[:batch_size].copy()


# ================================================================================================
# LinearClassifier, LinearSVM, Softmax
# ================================================================================================


class LinearClassifier:
    """The solution."""

    def __init__(self):
        self.W = None

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        num_train, dim = X.shape
        num_classes = np.max(y) + 1
        if self.W is None:
            self.W = 0.001 * np.random.randn(dim, num_classes)
        loss_history = []
        for it in range(num_iters):
            batch_indices = np.random.choice(num_train, batch_size, replace=True)
            X_batch = X[batch_indices]
            y_batch = y[batch_indices]
            loss, grad = self.loss(X_batch, y_batch, reg)
            loss_history.append(loss)
            self.W -= learning_rate * grad
            if verbose and it % 100 == 0:
                print("iteration %d / %d: loss %f" % (it, num_iters, loss))
        return loss_history

    def predict(self, X):
        return np.argmax(X.dot(self.W), axis=1)

    def loss(self, X_batch, y_batch, reg):
        pass


def _classifier(name, train=None, predict=None, doc=""):
    """A LinearClassifier with `train` and/or `predict` replaced."""
    attrs = {"__doc__": doc}
    if train is not None:
        attrs["train"] = train
    if predict is not None:
        attrs["predict"] = predict
    return type(name, (LinearClassifier,), attrs)


def _train_template(*, init=None, num_classes=lambda y: np.max(y) + 1, sample=None, update=None,
                    record=None, loss_reg=lambda reg: reg):
    """train() with one step swapped out; the defaults are the solution's."""
    init = init or (lambda dim, c: 0.001 * np.random.randn(dim, c))
    sample = sample or (lambda X, y, n, b: (lambda idx: (X[idx], y[idx]))(np.random.choice(n, b, replace=True)))
    update = update or (lambda W, lr, grad: W - lr * grad)
    record = record or (lambda history, loss: history.append(loss))

    def train(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
        num_train, dim = X.shape
        if self.W is None:
            self.W = init(dim, num_classes(y))
        history = []
        for _ in range(num_iters):
            X_batch, y_batch = sample(X, y, num_train, batch_size)
            loss, grad = self.loss(X_batch, y_batch, loss_reg(reg))
            record(history, loss)
            self.W = update(self.W, learning_rate, grad)
        return history

    return train


# -- correct variants --

LCStandardNormal = _classifier(
    "LCStandardNormal", _train_template(init=lambda d, c: 0.001 * np.random.standard_normal((d, c))),
    doc="W initialized with np.random.standard_normal; self.W rebound, not updated in place")


def _train_array_history(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
    num_train, dim = X.shape
    if self.W is None:
        self.W = 0.001 * np.random.randn(dim, int(y.max()) + 1)
    history = np.empty(num_iters)
    for it in range(num_iters):
        idx = np.random.randint(num_train, size=batch_size)
        history[it], grad = self.loss(X[idx], y[idx], reg)
        self.W += -learning_rate * grad
    return history


LCArrayHistory = _classifier("LCArrayHistory", _train_array_history,
                             predict=lambda self, X: np.argmax(X @ self.W, axis=1).astype(np.int64),
                             doc="np.random.randint sampling, history as an array, predict cast to int64")

LCPermutation = _classifier(
    "LCPermutation",
    _train_template(sample=lambda X, y, n, b: (lambda idx: (X[idx], y[idx]))(np.random.permutation(n)[:b])),
    predict=lambda self, X: (X.dot(self.W)).argmax(axis=-1),
    doc="samples without replacement: the first batch_size of a random permutation")

# -- bugs --

LCUphill = _classifier("LCUphill", _train_template(update=lambda W, lr, g: W + lr * g))
LCLearningRateIgnored = _classifier("LCLearningRateIgnored", _train_template(update=lambda W, lr, g: W - g))
LCLearningRateSquared = _classifier("LCLearningRateSquared", _train_template(update=lambda W, lr, g: W - lr * lr * g))
LCAppendsTwice = _classifier("LCAppendsTwice", _train_template(record=lambda h, loss: h.extend([loss, loss])))
LCAppendsGrad = _classifier("LCAppendsGrad", _train_template(record=lambda h, loss: h.append((loss, 0.0))))
LCTwoDraws = _classifier(
    "LCTwoDraws", _train_template(sample=lambda X, y, n, b: (X[np.random.choice(n, b)], y[np.random.choice(n, b)])))
LCFirstRows = _classifier("LCFirstRows", _train_template(sample=lambda X, y, n, b: (X[:b], y[:b])))
LCFullBatch = _classifier("LCFullBatch", _train_template(sample=lambda X, y, n, b: (X, y)))
LCNumClassesOffByOne = _classifier("LCNumClassesOffByOne", _train_template(num_classes=lambda y: np.max(y)))
LCNumClassesUnique = _classifier("LCNumClassesUnique", _train_template(num_classes=lambda y: len(np.unique(y))))
LCZeroInit = _classifier("LCZeroInit", _train_template(init=lambda d, c: np.zeros((d, c))))
LCUnitInit = _classifier("LCUnitInit", _train_template(init=lambda d, c: np.random.randn(d, c)))
LCRegDropped = _classifier("LCRegDropped", _train_template(loss_reg=lambda reg: 0.0))
LCPrivateGenerator = _classifier(
    "LCPrivateGenerator",
    _train_template(sample=lambda X, y, n, b:
                    (lambda idx: (X[idx], y[idx]))(np.random.default_rng().integers(0, n, b))))


def _train_always_init(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
    self.W = None
    return LinearClassifier.train(self, X, y, learning_rate, reg, num_iters, batch_size, verbose)


LCAlwaysInit = _classifier("LCAlwaysInit", _train_always_init)
LCPredictFloat = _classifier("LCPredictFloat", predict=lambda self, X: np.argmax(X.dot(self.W), axis=1).astype(float))
LCPredictArgmin = _classifier("LCPredictArgmin", predict=lambda self, X: np.argmin(X.dot(self.W), axis=1))
LCPredictScores = _classifier("LCPredictScores", predict=lambda self, X: X.dot(self.W))
LCStub = _classifier("LCStub", stub, stub)


class LinearSVM(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)


class LinearSVMKeywords(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        loss, grad = svm_loss_vectorized(W=self.W, X=X_batch, y=y_batch, reg=reg)
        return loss, grad


class LinearSVMCallsSoftmax(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)


class LinearSVMRegDropped(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return svm_loss_vectorized(self.W, X_batch, y_batch, 0.0)


class Softmax(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)


class SoftmaxList(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return list(softmax_loss_vectorized(self.W, X_batch, y_batch, reg))


class SoftmaxCallsSVM(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)


class SoftmaxLossOnly(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)[0]


class SubclassStub(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        raise NotImplementedError()


# ================================================================================================
# (best_learning_rate, best_reg)
# ================================================================================================

GOOD_HYPERPARAMETERS = [(1e-2, 1e-3), (1e-3, 1e-2), (1e-2, 0.1), (1e-2, 1.0)]
BAD_HYPERPARAMETERS = [(1e-5, 1e-3), (1e-4, 1e-2), (1e-1, 10.0), (1e-2, 10.0), (None, None), (1e-2, None),
                       (-1e-2, 1e-3), ("fast", 1e-3)]


# ================================================================================================
# Answers that ignore their inputs (DESIGN.md principle 10): each scores 0 on every cell of its answer
# ================================================================================================


def rs_zeros(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    return np.zeros((dim, num_classes)), 0.0


def rs_constant(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    """The same W tried num_tries times: the old one-call-per-try criterion could not tell."""
    W = 0.001 * np.ones((dim, num_classes))
    losses = [loss_fn(W)[0] for _ in range(num_tries)]
    return W, min(losses)


def rs_one_random(loss_fn, dim, num_classes, num_tries=1000, rng=None):
    W = 0.001 * (np.random.randn(dim, num_classes) if rng is None else rng.standard_normal((dim, num_classes)))
    return W, loss_fn(W)[0]


def gd_returns_W0(loss_fn, W0, learning_rate, num_iters):
    return W0.copy(), [loss_fn(W0)[0]] * num_iters


def gd_zeros(loss_fn, W0, learning_rate, num_iters):
    return np.zeros_like(W0), np.zeros(num_iters)


def gd_random(loss_fn, W0, learning_rate, num_iters):
    return np.random.randn(*W0.shape), list(np.random.rand(num_iters))


def sm_zeros(X, y, batch_size, rng=None):
    return np.zeros((batch_size, X.shape[1])), np.zeros(batch_size, dtype=np.int64)


def sm_echo(X, y, batch_size, rng=None):
    return X, y


def sm_random(X, y, batch_size, rng=None):
    rng = np.random.default_rng() if rng is None else rng
    return rng.standard_normal((batch_size, X.shape[1])), rng.integers(0, np.max(y) + 1, size=batch_size)


def sm_last_rows(X, y, batch_size, rng=None):
    return X[-batch_size:], y[-batch_size:]


def _train_no_update(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
    """Samples, records the losses, initializes W: everything but training."""
    num_train, dim = X.shape
    if self.W is None:
        self.W = 0.001 * np.random.randn(dim, np.max(y) + 1)
    history = []
    for _ in range(num_iters):
        idx = np.random.choice(num_train, batch_size)
        history.append(self.loss(X[idx], y[idx], reg)[0])
    return history


def _train_constant(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
    if self.W is None:
        self.W = 0.001 * np.random.randn(X.shape[1], np.max(y) + 1)
    loss, _ = self.loss(X[:batch_size], y[:batch_size], reg)
    return [loss] * num_iters


def _train_random_W(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
    self.W = 0.001 * np.random.randn(X.shape[1], np.max(y) + 1)
    return list(np.random.rand(num_iters))


LCDoesNothing = _classifier("LCDoesNothing", lambda self, X, y, *args, **kwargs: np.zeros(kwargs.get("num_iters", 100)),
                            predict=lambda self, X: np.zeros(X.shape[0], dtype=np.int64))
LCNoUpdateRandomLabels = _classifier("LCNoUpdateRandomLabels", _train_no_update,
                                     predict=lambda self, X: np.random.randint(0, self.W.shape[1], size=X.shape[0]))
LCConstant = _classifier("LCConstant", _train_constant, predict=lambda self, X: np.full(X.shape[0], 1))
LCRandomW = _classifier("LCRandomW", _train_random_W, predict=lambda self, X: X[:, 0].astype(np.int64))


class LinearSVMZeros(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return 0.0, np.zeros_like(self.W)


class LinearSVMConstant(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return float(self.W.shape[1] - 1), np.ones_like(self.W)


class SoftmaxZeros(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return 0.0, np.zeros_like(self.W)


class SoftmaxEcho(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return reg, self.W


# Values no tuning chose: the CIFAR-10 starter's values copied (learns next to nothing on digits in 500
# iterations), a learning rate that diverges, one too small to move W.
UNTUNED_HYPERPARAMETERS = [(1e-7, 2.5e4), (10.0, 100.0), (1e-6, 0.0)]

DO_NOTHING = {
    "random_search": [rs_zeros, rs_constant, rs_one_random],
    "gradient_descent": [gd_returns_W0, gd_zeros, gd_random],
    "sample_minibatch": [sm_zeros, sm_echo, sm_random, sm_first_rows, sm_last_rows],
    "LinearClassifier": [LCDoesNothing, LCNoUpdateRandomLabels, LCConstant, LCRandomW],
    "LinearSVM": [LinearSVMZeros, LinearSVMConstant],
    "Softmax": [SoftmaxZeros, SoftmaxEcho],
    "hyperparameters": UNTUNED_HYPERPARAMETERS,
}


def _train_local_update(self, X, y, learning_rate=1e-3, reg=1e-5, num_iters=100, batch_size=200, verbose=False):
    """Updates a local name, never self.W: training has no effect (a realistic slip that does nothing)."""
    num_train, dim = X.shape
    if self.W is None:
        self.W = 0.001 * np.random.randn(dim, np.max(y) + 1)
    history = []
    for _ in range(num_iters):
        idx = np.random.choice(num_train, batch_size)
        loss, grad = self.loss(X[idx], y[idx], reg)
        history.append(loss)
        W = self.W
        W = W - learning_rate * grad  # noqa: F841
    return history


LCLocalUpdate = _classifier("LCLocalUpdate", _train_local_update)
