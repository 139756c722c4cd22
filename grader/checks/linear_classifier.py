"""Checks of optimization.ipynb: LinearClassifier.train / predict, checked through a subclass with the grader's loss.

Helpers these checks share with the notebook's other checks are in optimization.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..numerics import relative_error
from ..outcome import CheckContext, Failure
from ..reference import losses as ref_losses
from .calls import as_array
from .optimization import (
    IndexedData,
    along_gradient,
    as_history,
    basic_case,
    criterion_seed,
    distance_from,
    global_seed,
    moved_got,
    require_class,
    same_weights,
    seeded,
    step_cause,
)
from .problems import brief, random_problem
from .registry import check


@dataclass
class LossCall:
    W: np.ndarray
    X: np.ndarray
    y: np.ndarray
    reg: object
    loss: float
    grad: np.ndarray


class Recorder:
    """The grader's `loss` for a subclass of the student's LinearClassifier: the reference softmax
    loss of the minibatch, with every call recorded (copies: nothing the student's code does later
    changes them)."""

    def __init__(self, data: IndexedData, num_classes: int):
        self.data = data
        self.num_classes = num_classes
        self.calls: list[LossCall] = []

    def loss(self, obj, X_batch, y_batch, reg) -> tuple[float, np.ndarray]:
        d = self.data.X.shape[1]
        W = np.array(obj.W, dtype=np.float64, copy=True) if obj.W is not None else None
        if W is None or W.shape != (d, self.num_classes):
            got = "W = None" if W is None else f"W of shape {W.shape}"
            cause = "num_classes = np.max(y) + 1 (labels run from 0 to C - 1)" if W is not None and W.ndim == 2 \
                and W.shape[0] == d else "initialize self.W = 0.001 * np.random.randn(dim, num_classes) when it is None"
            raise Failure(f"self.loss called with self.W of shape ({d}, {self.num_classes})", got, cause)
        X_batch = np.array(X_batch, dtype=np.float64, copy=True)
        y_batch = np.array(y_batch, copy=True)
        if X_batch.ndim != 2 or X_batch.shape[1] != d or y_batch.shape != (X_batch.shape[0],) \
                or not np.issubdtype(y_batch.dtype, np.integer):
            raise Failure(f"self.loss(X_batch, y_batch, reg) with X_batch (batch_size, {d}) "
                          "and integer y_batch (batch_size,)",
                          f"X_batch of shape {X_batch.shape}, y_batch of shape {y_batch.shape} ({y_batch.dtype})",
                          "pass the minibatch rows X[idx] and their labels y[idx]")
        loss, grad = ref_losses.softmax_loss(W, X_batch, y_batch, float(reg))
        self.calls.append(LossCall(W, X_batch, y_batch, reg, loss, grad.copy()))
        return loss, grad


def _probe(cls, recorder: Recorder):
    """A subclass of the student's class whose loss is the recorder's."""
    require_class(cls, "LinearClassifier")

    def loss(self, X_batch, y_batch, reg):
        return recorder.loss(self, X_batch, y_batch, reg)

    return type("GradedLinearClassifier", (cls,), {"loss": loss})


def _train(cls, recorder: Recorder, W, seed: int, **kwargs):
    """(classifier, history): the student's train on the recorder's data, np.random seeded."""
    obj = _probe(cls, recorder)()
    if W is not None:
        obj.W = np.array(W, dtype=np.float64, copy=True)
    with global_seed(seed, cls):
        history = obj.train(recorder.data.X.copy(), recorder.data.y.copy(), **kwargs)
    if not recorder.calls:
        raise Failure("train to call self.loss(X_batch, y_batch, reg) in every iteration", "no call",
                      "the loss and its gradient come from self.loss (LinearSVM and Softmax supply it)")
    return obj, history


def _final_W(obj, shape) -> np.ndarray:
    if getattr(obj, "W", None) is None:
        raise Failure(f"self.W of shape {shape} after training", "self.W is None", "store the weights in self.W")
    return as_array(obj.W, shape, "self.W")


def _train_setup(ctx: CheckContext, salt: int, n: int = 80, d: int = 4, c: int = 3):
    data = IndexedData.random(ctx.rng(salt), n, d, c)
    W0 = 0.5 * ctx.rng(salt + 1).standard_normal((d, c))
    return Recorder(data, c), W0


def _train_moves_W(cls, ctx: CheckContext) -> None:
    """One iteration of train moves self.W along the gradient self.loss returned for it."""
    rec, W0 = _train_setup(ctx, 7)
    lr = 0.1
    obj, _ = _train(cls, rec, W0, criterion_seed(ctx, 9), learning_rate=lr, reg=0.01, num_iters=1, batch_size=20)
    call = rec.calls[0]
    W = _final_W(obj, W0.shape)
    if not along_gradient(W, call.W, call.grad):
        raise Failure("self.W moved along the gradient dW that self.loss returned: self.W -= learning_rate * dW "
                      "(one iteration, learning_rate = 0.1)", moved_got(W, call.W, "self.W"),
                      step_cause(W, call.W, call.grad, lr, "self.W", call.loss))


@basic_case("one iteration of train moves self.W along the gradient self.loss returned", 1003)
def TRAIN_BASIC(cls, ctx: CheckContext) -> None:
    """Training is updating W with the gradient: a train that never changes self.W (whatever it
    records, samples or initializes) earns nothing; a wrong step size or sign passes here and loses
    points on the criteria."""
    require_class(cls, "LinearClassifier")
    _train_moves_W(cls, ctx)


@basic_case("train moves self.W along the gradient, on minibatches that change from iteration to iteration", 1004)
def TRAIN_SAMPLING_BASIC(cls, ctx: CheckContext) -> None:
    """The minibatch cell's basic case: training, on minibatches that are sampled. The same rows in
    every iteration (the first batch_size, or all of X) fail; misaligned labels or a private Generator
    pass here and lose points on the criteria."""
    require_class(cls, "LinearClassifier")
    _train_moves_W(cls, ctx)
    n, batch_size = 60, 10
    rec, W0 = _train_setup(ctx, 10, n=n, d=4, c=3)
    _train(cls, rec, W0, criterion_seed(ctx, 12), learning_rate=1e-3, reg=0.0, num_iters=3, batch_size=batch_size)
    if len({(c.X.shape, c.X.tobytes()) for c in rec.calls}) < 2:
        X_batch = rec.calls[0].X
        if X_batch.shape == rec.data.X.shape and np.array_equal(X_batch, rec.data.X):
            got, cause = "all of X in every iteration", "the whole training set is used: sample batch_size examples " \
                "per iteration, np.random.choice(num_train, batch_size)"
        elif X_batch.shape[0] == batch_size and np.array_equal(X_batch, rec.data.X[:batch_size]):
            got, cause = "the first batch_size rows in every iteration", "every iteration uses the first batch_size " \
                "rows: sample random indices, np.random.choice(num_train, batch_size)"
        else:
            got = "the same X_batch in every iteration"
            cause = "draw a new minibatch in every iteration, inside the loop"
        raise Failure(f"{len(rec.calls)} iterations on different random minibatches "
                      f"(batch_size = {batch_size}, N = {n})", got, cause)


@check("linear_classifier_train_update", basic=TRAIN_BASIC)
@seeded
def linear_classifier_train_update(cls, ctx: CheckContext):
    def one_step():
        rec, W0 = _train_setup(ctx, 100)
        lr = 0.1
        obj, _ = _train(cls, rec, W0, criterion_seed(ctx, 102), learning_rate=lr, reg=0.01, num_iters=1, batch_size=20)
        call = rec.calls[0]
        if not np.array_equal(call.W, W0):
            raise Failure("the first iteration to start from the W set before train",
                          distance_from(np.asarray(call.W), W0, "W"), "initialize W only when self.W is None")
        W = _final_W(obj, W0.shape)
        want = W0 - lr * call.grad
        if not same_weights(W, want):
            raise Failure("self.W = W - learning_rate * dW after one iteration (learning_rate = 0.1)",
                          f"a W at relative distance {relative_error(W, want):.3g} from it",
                          step_cause(W, W0, call.grad, lr, "self.W", call.loss))

    def chained():
        rec, W0 = _train_setup(ctx, 103)
        lr = 0.03
        obj, _ = _train(cls, rec, W0, criterion_seed(ctx, 105), learning_rate=lr, reg=0.1, num_iters=6, batch_size=15)
        W = _final_W(obj, W0.shape)
        expected_W = [c.W for c in rec.calls[1:]] + [W]
        for t, (call, got) in enumerate(zip(rec.calls, expected_W)):
            want = call.W - lr * call.grad
            if not same_weights(got, want):
                raise Failure(f"iteration {t + 1} to end at W - learning_rate * dW of its own minibatch",
                              f"a W at relative distance {relative_error(got, want):.3g} from it",
                              step_cause(got, call.W, call.grad, lr, "self.W", call.loss))

    def reg_passed():
        rec, W0 = _train_setup(ctx, 106)
        _train(cls, rec, W0, criterion_seed(ctx, 108), learning_rate=1e-3, reg=0.25, num_iters=3, batch_size=10)
        regs = {float(c.reg) for c in rec.calls}
        if regs != {0.25}:
            raise Failure("self.loss(X_batch, y_batch, reg) with reg = 0.25, the reg given to train",
                          f"reg = {sorted(regs)}", "pass train's reg argument on to self.loss")

    yield ctx.run("one iteration updates self.W to W - learning_rate * dW", one_step, 2)
    yield ctx.run("six iterations: each steps from the W of the previous one", chained)
    yield ctx.run("train's reg is passed to self.loss", reg_passed)


@check("linear_classifier_train_history", basic=TRAIN_BASIC)
@seeded
def linear_classifier_train_history(cls, ctx: CheckContext):
    def run(salt: int, num_iters: int):
        def body():
            rec, W0 = _train_setup(ctx, salt)
            _, history = _train(cls, rec, W0, criterion_seed(ctx, salt + 2), learning_rate=0.05, reg=0.01,
                                num_iters=num_iters, batch_size=12)
            got = as_history(history, num_iters)
            if len(rec.calls) != num_iters:
                raise Failure(f"self.loss called once per iteration ({num_iters} iterations)",
                              f"{len(rec.calls)} calls",
                              "compute loss, grad = self.loss(X_batch, y_batch, reg) once in each iteration")
            want = np.array([c.loss for c in rec.calls])
            if not np.allclose(got, want, rtol=1e-12, atol=0):
                t = int(np.flatnonzero(~np.isclose(got, want, rtol=1e-12, atol=0))[0])
                raise Failure(f"loss_history[{t}] = {want[t]:.6g}, the loss self.loss returned in iteration {t}",
                              f"{got[t]:.6g}", "append the loss of each iteration's minibatch, once per iteration")
        return body

    yield ctx.run("returns the loss history: 7 iterations, 7 entries", run(110, 7))
    yield ctx.run("loss_history[t] is the loss of iteration t's minibatch (20 iterations)", run(113, 20), 2)


@check("linear_classifier_train_minibatch", basic=TRAIN_SAMPLING_BASIC)
@seeded
def linear_classifier_train_minibatch(cls, ctx: CheckContext):
    n, batch_size, num_iters = 90, 16, 6
    cache = {}

    def trained():
        if "run" not in cache:
            rec, W0 = _train_setup(ctx, 120, n=n, d=4, c=4)
            try:
                _train(cls, rec, W0, criterion_seed(ctx, 122), learning_rate=1e-3, reg=0.0, num_iters=num_iters,
                       batch_size=batch_size)
                cache["run"] = (rec, W0, None)
            except Exception as exc:  # every criterion reports the same failed call
                cache["run"] = (rec, W0, exc)
        rec, W0, exc = cache["run"]
        if exc is not None:
            raise exc
        return rec, W0

    def sizes():
        require_class(cls, "LinearClassifier")
        rec, _ = trained()
        for call in rec.calls:
            if call.X.shape[0] != batch_size:
                cause = "the whole training set is used: sample batch_size examples per iteration" \
                    if call.X.shape[0] == n else "sample batch_size examples per iteration"
                raise Failure(f"minibatches of batch_size = {batch_size} examples (N = {n})",
                              f"X_batch of {call.X.shape[0]} rows", cause)

    def rows():
        require_class(cls, "LinearClassifier")
        rec, _ = trained()
        for call in rec.calls:
            rec.data.rows_of(call.X)

    def aligned():
        require_class(cls, "LinearClassifier")
        rec, _ = trained()
        for call in rec.calls:
            rec.data.expect_aligned(call.X, call.y)

    def random_batches():
        require_class(cls, "LinearClassifier")
        rec, _ = trained()
        batches = {rec.data.rows_of(call.X).tobytes() for call in rec.calls}
        if len(batches) < 2:
            first = rec.data.rows_of(rec.calls[0].X)
            cause = ("every iteration uses the first batch_size rows: sample random indices, "
                     "np.random.choice(num_train, batch_size)") if np.array_equal(first, np.arange(batch_size)) else \
                "draw a new minibatch in every iteration, inside the loop"
            raise Failure(f"a new random minibatch in each of the {num_iters} iterations",
                          f"the same rows every iteration: {first.tolist()[:8]}...", cause)

    def reproducible():
        require_class(cls, "LinearClassifier")
        runs = []
        for _ in range(2):
            rec, W0 = _train_setup(ctx, 123, n=n, d=4, c=4)
            obj, history = _train(cls, rec, W0, criterion_seed(ctx, 125), learning_rate=1e-2, reg=0.0, num_iters=4,
                                  batch_size=batch_size)
            runs.append((np.array(obj.W, dtype=np.float64), [c.X for c in rec.calls]))
        (W1, b1), (W2, b2) = runs
        if not (np.array_equal(W1, W2) and len(b1) == len(b2) and all(np.array_equal(u, v) for u, v in zip(b1, b2))):
            raise Failure("the same minibatches and W after np.random.seed(s) twice", "different results",
                          "draw the minibatch from np.random (np.random.choice), so that np.random.seed makes "
                          "training reproducible")

    yield ctx.run(f"self.loss gets minibatches of batch_size rows (N = {n}, batch_size = {batch_size})", sizes)
    yield ctx.run("every minibatch row is a row of X", rows)
    yield ctx.run("y_batch[i] is the label of X_batch[i] (rows and labels drawn together)", aligned)
    yield ctx.run("each iteration draws a new random minibatch", random_batches)
    yield ctx.run("the same np.random.seed gives the same training", reproducible)


@check("linear_classifier_train_init", basic=TRAIN_BASIC)
@seeded
def linear_classifier_train_init(cls, ctx: CheckContext):
    d = 30
    labels = np.array([0, 1, 3])  # max(y) + 1 = 4 classes, only 3 of them present

    def fresh():
        data = IndexedData.random(ctx.rng(130), 60, d, 4)
        data.y = labels[ctx.rng(131).integers(0, 3, size=60)]
        data.y[:3] = labels
        rec = Recorder(data, 4)
        _train(cls, rec, None, criterion_seed(ctx, 132), learning_rate=1e-3, reg=0.0, num_iters=2, batch_size=10)
        return rec.calls[0].W

    def shape():
        W = fresh()
        if W.shape != (d, 4):  # the recorder already raised for a wrong shape; kept for clarity
            raise Failure(f"W of shape ({d}, 4)", f"shape {W.shape}", "num_classes = np.max(y) + 1")

    def small_random():
        W = fresh()
        std = float(np.std(W))
        if not (3e-4 <= std <= 3e-3) or np.unique(W).size < W.size // 2:
            raise Failure("W = 0.001 * np.random.randn(dim, num_classes): "
                          "small random numbers, standard deviation 0.001",
                          f"standard deviation {std:.3g}, {np.unique(W).size} different values",
                          "initialize self.W = 0.001 * np.random.randn(dim, num_classes) when it is None")

    def kept():
        require_class(cls, "LinearClassifier")
        rec, W0 = _train_setup(ctx, 133)
        _train(cls, rec, W0, criterion_seed(ctx, 135), learning_rate=1e-3, reg=0.0, num_iters=1, batch_size=10)
        if not np.array_equal(rec.calls[0].W, W0):
            raise Failure("training to start from the W already set", "a new W",
                          "initialize W only when self.W is None: training continues from an existing W")

    yield ctx.run("W = None: W of shape (dim, np.max(y) + 1), with a class that no example has", shape)
    yield ctx.run("W = None: small random W, 0.001 * np.random.randn(dim, num_classes)", small_random)
    yield ctx.run("an existing W is trained further, not re-initialized", kept)


def _predict(cls, W: np.ndarray, X: np.ndarray) -> np.ndarray:
    require_class(cls, "LinearClassifier")
    obj = cls()
    obj.W = W.copy()
    out = obj.predict(X.copy())
    if out is None:
        raise Failure(f"labels of shape ({X.shape[0]},)", "None", "did you forget the `return`?")
    return np.asarray(out)


@basic_case("six examples whose highest scores are in classes 0, 1, 2 (each ahead by at least 1): their labels", 1005)
def PREDICT_BASIC(cls, ctx: CheckContext) -> None:
    """Every class is some example's answer, each far ahead of the rest: zeros, a constant label, random
    labels or echoed scores fail; labels of a float dtype pass here and lose points on the criteria."""
    rng = ctx.rng(13)
    want = np.array([0, 1, 2, 2, 0, 1])
    scores = rng.standard_normal((6, 3))
    scores[np.arange(6), want] = scores.max(axis=1) + 1.0 + rng.uniform(0, 1, 6)
    W, _ = np.linalg.qr(rng.standard_normal((3, 3)))  # orthogonal: X = scores W^T gives X W = scores
    X = scores @ W.T
    labels = _predict(cls, W, X)
    ok = labels.shape == want.shape and np.issubdtype(labels.dtype, np.number) and np.array_equal(labels, want)
    if not ok:
        cause = "the predicted class is the one with the highest score, np.argmax(X.dot(self.W), axis=1)"
        if labels.shape == want.shape and np.array_equal(labels, np.argmin(X @ W, axis=1)):
            cause = "these are the lowest scores: predict the class with the highest score, np.argmax"
        raise Failure(f"the labels {want.tolist()}", f"{brief(labels.ravel()[:6].tolist(), 60)}"
                      + ("" if labels.shape == want.shape else f" (shape {labels.shape})"), cause)


@check("linear_classifier_predict", basic=PREDICT_BASIC)
@seeded
def linear_classifier_predict(cls, ctx: CheckContext):
    def predict(W, X):
        return _predict(cls, W, X)

    def dtype_shape():
        p = random_problem(ctx.rng(140), 12, 5, 4, 0.0)
        labels = predict(p.W, p.X)
        if labels.shape != (12,):
            raise Failure("labels of shape (N,) = (12,)", f"shape {labels.shape}",
                          "one label per example: np.argmax(scores, axis=1)")
        if not np.issubdtype(labels.dtype, np.integer):
            raise Failure("integer labels (class indices)", f"dtype {labels.dtype}",
                          "np.argmax gives integers: do not convert them to float")

    def argmax():
        p = random_problem(ctx.rng(141), 40, 6, 5, 0.0)
        labels = predict(p.W, p.X)
        scores = p.X @ p.W
        want = np.argmax(scores, axis=1)
        if labels.shape != want.shape or not np.array_equal(labels, want):
            cause = "the predicted class is the one with the highest score, np.argmax(X.dot(W), axis=1)"
            if labels.shape == want.shape and np.array_equal(labels, np.argmin(scores, axis=1)):
                cause = "these are the lowest scores: predict the class with the highest score, np.argmax"
            raise Failure(f"the class with the highest score for each of the 40 examples ({want[:6].tolist()}...)",
                          f"{np.asarray(labels).ravel()[:6].tolist()}...", cause)

    def single():
        p = random_problem(ctx.rng(142), 1, 3, 2, 0.0)
        W, X = p.W.copy(), p.X.copy()
        labels = predict(W, X)
        want = np.argmax(p.X @ p.W, axis=1)
        if labels.shape != (1,) or labels[0] != want[0]:
            raise Failure(f"[{want[0]}] for one example (N = 1, C = 2)", f"{brief(labels.tolist(), 60)}",
                          "np.argmax(X.dot(self.W), axis=1) works for any N")

    yield ctx.run("returns integer labels of shape (N,)", dtype_shape)
    yield ctx.run("each label is the class with the highest score, argmax of X @ W", argmax, 2)
    yield ctx.run("one example (N = 1) gives one label", single)


