"""Checks of optimization.ipynb: random search, gradient descent, minibatch sampling, the linear
classifier trained by SGD, and the tuned hyperparameters (see course.yaml for the cells that use them).

One bug costs points once: every loss these checks need is the grader's own. Random search and
gradient descent get a grader-supplied `loss_fn` (a quadratic bowl whose minimum and gradient are
known); `LinearClassifier.train` is checked by subclassing the student's class with a grader-supplied
`loss` that records every call; `LinearSVM` and `Softmax` are checked through their `loss` alone; the
hyperparameters by training the reference Softmax with them.

The student's code draws from `np.random` (CS231n's API). Around every call the checks seed it from the
course's seed and put the student's global random state back afterwards, so grades are deterministic
and grading leaves the kernel's random state as it was.
"""

from __future__ import annotations

import contextlib
import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from hypothesis import strategies as st

from .. import data as datasets
from ..numerics import relative_error, values_close
from ..sandbox.proxies import seed_global_random
from ..course import Param
from ..outcome import CheckContext, Failure
from ..reference import losses as ref_losses
from ..reference import optimization as ref
from .calls import as_array, as_scalar, require_callable, trusted_names
from .closeness import close
from .problems import brief, random_problem
from .properties import each_holds_for_all
from .registry import BasicCase, check
from .unmodified import require_unmodified

# -- helpers --------------------------------------------------------------------------------------


@contextlib.contextmanager
def global_seed(seed: int):
    """np.random seeded with `seed` inside the block; the previous global state restored after."""
    state = np.random.get_state()
    np.random.seed(seed % 2**32)
    seed_global_random(seed)  # where the student's code runs, when that is the grading worker
    try:
        yield
    finally:
        np.random.set_state(state)


def _seed(ctx: CheckContext, salt: int) -> int:
    return int(ctx.rng(salt).integers(0, 2**31))


def seeded(run):
    """The whole check under a seeded np.random (student code may draw from it even where it should
    use the Generator it was given); the kernel's random state is put back afterwards."""

    @functools.wraps(run)
    def wrapped(answer, ctx: CheckContext):
        with global_seed(_seed(ctx, 999)):
            yield from run(answer, ctx)

    return wrapped


def basic_case(checked: str, salt: int):
    """Decorator: `body(answer, ctx)` as a BasicCase run under a seeded np.random (the kernel's state
    put back afterwards), like every criterion of these checks."""

    def make(body) -> BasicCase:
        def run(answer, ctx: CheckContext) -> None:
            with global_seed(_seed(ctx, salt)):
                body(answer, ctx)

        return BasicCase(checked, run)

    return make


def require_class(answer, name: str) -> None:
    if not isinstance(answer, type):
        raise Failure(f"`{name}` to be a class", f"{type(answer).__name__} {brief(answer, 60)}",
                      f"define `class {name}` in its answer cell and run that cell")


def _close(got: np.ndarray, want: np.ndarray) -> bool:
    """W after the same steps as the reference: equal up to rounding."""
    return close(got, want, 1e-9)


def _distance(got: np.ndarray, want: np.ndarray, name: str) -> str:
    """What came back instead of `want`, measured: its shape if that differs, else how far it is."""
    if got.shape != want.shape:
        return f"a {name} of shape {got.shape} instead of {want.shape}"
    if not np.all(np.isfinite(got)):
        return f"a {name} with non-finite entries"
    return (f"a {name} at relative distance {relative_error(got, want):.3g} from it "
            f"(largest entry of the difference: {float(np.max(np.abs(got - want))):.3g})")


def _history(value, num_iters: int, what: str = "the loss history") -> np.ndarray:
    """A history (list or 1-D array of numbers) as a float array, validated."""
    if value is None:
        raise Failure(f"{what}: a list of {num_iters} losses", "None", "did you forget to `return loss_history`?")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Failure(f"{what}: a list of {num_iters} numbers", f"{type(value).__name__} {brief(value, 60)}",
                      "append the loss (a number) once per iteration: loss_history.append(loss)") from None
    if arr.ndim != 1:
        raise Failure(f"{what}: a flat list of {num_iters} numbers", f"an array of shape {arr.shape}",
                      "append only the loss (a number), not (loss, grad), once per iteration")
    if arr.shape[0] != num_iters:
        cause = "one entry per iteration: append the loss once per iteration"
        if arr.shape[0] == 2 * num_iters:
            cause = "the loss is appended twice per iteration: append it once"
        elif arr.shape[0] == 0:
            cause = "nothing was appended: loss_history.append(loss) inside the loop"
        raise Failure(f"{what} with {num_iters} entries (num_iters = {num_iters})", f"{arr.shape[0]} entries", cause)
    return arr


def _wrong_steps(lr: float, who: str) -> list:
    """(update(W, loss, dW), likely cause) for the common mistakes in one step of gradient descent."""
    return [
        (lambda W, loss, dW: W + lr * dW, "the step goes uphill: the gradient points where the loss grows fastest, "
                                          f"so step against it: {who} -= learning_rate * dW"),
        (lambda W, loss, dW: W, f"W did not change: update it in the loop, {who} -= learning_rate * dW"),
        (lambda W, loss, dW: W - dW, "the learning rate is ignored: the step is learning_rate * dW"),
        (lambda W, loss, dW: W - lr * lr * dW, "the learning rate is applied twice: the step is learning_rate * dW"),
        (lambda W, loss, dW: W - dW / lr,
         "the gradient is divided by the learning rate: the step is learning_rate * dW"),
        (lambda W, loss, dW: W - 2 * lr * dW, "the step is applied twice: update W once per iteration"),
        (lambda W, loss, dW: W - lr * loss, "the step uses the loss, a number, instead of its gradient dW: "
                                            f"{who} -= learning_rate * dW"),
    ]


def _same(got: np.ndarray, candidate: np.ndarray) -> bool:
    return got.shape == candidate.shape and relative_error(got, candidate) <= 1e-9


def _step_cause(got: np.ndarray, W: np.ndarray, dW: np.ndarray, lr: float, who: str, loss: float | None = None) -> str:
    """Which common mistake turns W into `got` for one step with gradient dW (at loss `loss`)."""
    with np.errstate(all="ignore"):
        for update, cause in _wrong_steps(lr, who):
            if loss is None and "uses the loss" in cause:
                continue
            if _same(got, update(W, loss, dW)):
                return cause
    return f"one step of gradient descent is {who} -= learning_rate * dW, with dW the gradient of this iteration"


def _along_gradient(got: np.ndarray, W: np.ndarray, dW: np.ndarray) -> bool:
    """got = W + alpha * dW for some alpha != 0: W moved along the gradient, in either direction and by
    any step size (how far and which way are the other criteria's business)."""
    with np.errstate(all="ignore"):
        step = np.asarray(got, dtype=np.float64) - W
        if step.shape != dW.shape or not np.all(np.isfinite(step)) or not np.any(step) or not np.any(dW):
            return False
        alpha = float(np.sum(step * dW) / np.sum(dW * dW))
        return alpha != 0 and float(np.linalg.norm(step - alpha * dW)) <= 1e-6 * float(np.linalg.norm(step))


def _moved_got(got: np.ndarray, W: np.ndarray, who: str) -> str:
    if got.shape == W.shape and np.array_equal(got, W):
        return f"{who} unchanged"
    return f"a {who} that is not the starting W plus a multiple of dW"


# -- the grader's loss functions ----------------------------------------------------------------


@dataclass
class Bowl:
    """L(W) = 0.5 * sum(A * (W - T)^2), gradient A * (W - T): a quadratic bowl with its minimum at T.
    Records every W it is called with."""

    A: np.ndarray
    T: np.ndarray
    calls: list = field(default_factory=list)

    @classmethod
    def random(cls, rng: np.random.Generator, shape) -> "Bowl":
        return cls(rng.uniform(0.5, 1.5, shape), rng.standard_normal(shape))

    def value(self, W: np.ndarray) -> float:
        with np.errstate(all="ignore"):  # a diverging answer overflows: that is its result, not a warning
            return float(0.5 * np.sum(self.A * (W - self.T) ** 2))

    def grad(self, W: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self.A * (W - self.T)

    def __call__(self, W):
        W = np.array(W, dtype=np.float64, copy=True)
        if W.shape != self.T.shape:
            raise Failure(f"loss_fn called with W of shape {self.T.shape}", f"shape {W.shape}",
                          "W has shape (dim, num_classes), the shape of W0")
        self.calls.append(W)
        return self.value(W), self.grad(W)

    def distinct(self) -> int:
        """How many different W the loss was evaluated at."""
        return len({W.tobytes() for W in self.calls})

    def evaluated_once_per_try(self, num_tries: int) -> bool:
        """num_tries different W evaluated: each try once, and nothing else. A W evaluated again (each
        try's loss computed twice, or `best_loss = loss_fn(best_W)[0]` at the end) is no error."""
        return self.distinct() == num_tries


def _tries_cause(bowl: Bowl, num_tries: int) -> str:
    if bowl.distinct() == num_tries + 1:
        return "one W more than the tries was evaluated: best_W must be one of the num_tries random W"
    return "evaluate the loss of every random W once: a loop over num_tries, a new W in each try"


# ================================================================================================
# random_search(loss_fn, dim, num_classes, num_tries, rng=None) -> (best W, best loss)
# ================================================================================================


def _call_random_search(fn, bowl: Bowl, dim: int, num_classes: int, num_tries: int, rng):
    out = fn(bowl, dim, num_classes, num_tries, rng)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise Failure("a tuple (best_W, best_loss)", f"{type(out).__name__} {brief(out, 60)}",
                      "return both the best W and its loss: `return best_W, best_loss`")
    W = as_array(out[0], (dim, num_classes), "best_W")
    return W, as_scalar(out[1], "best_loss")


@basic_case("10 tries on a quadratic bowl: loss_fn evaluated at different random W, and best_W one of them", 1000)
def RANDOM_SEARCH_BASIC(fn, ctx: CheckContext) -> None:
    """What random search is: different random W tried, one of them kept. A constant W tried num_tries
    times, one random W, or zeros returned without trying fail; keeping the wrong try passes here and
    loses points on the criteria."""
    require_callable(fn, "random_search")
    dim, num_classes, num_tries = 4, 3, 10
    bowl = Bowl.random(ctx.rng(1), (dim, num_classes))
    W, _ = _call_random_search(fn, bowl, dim, num_classes, num_tries, np.random.default_rng(_seed(ctx, 2)))
    if bowl.distinct() < 2:
        if not bowl.calls:
            got, cause = "no call of loss_fn", "evaluate loss_fn(W) for every random W tried: a loop over num_tries"
        else:
            got = f"the same W in all {len(bowl.calls)} calls"
            cause = "draw a new random W in every try, inside the loop: 0.001 * rng.standard_normal((dim, num_classes))"
        raise Failure(f"loss_fn evaluated at {num_tries} different random W (num_tries = {num_tries})", got, cause)
    if not any(np.array_equal(W, w) for w in bowl.calls):
        raise Failure("best_W to be one of the W that loss_fn evaluated", "a W that loss_fn never saw",
                      "return the tried W with the lowest loss, not a new W")


@check("random_search_best", basic=RANDOM_SEARCH_BASIC)
@seeded
def random_search_best(fn, ctx: CheckContext):
    dim, num_classes = 6, 3

    def keeps_best(num_tries: int, salt: int):
        def body():
            require_callable(fn, "random_search")
            bowl = Bowl.random(ctx.rng(salt), (dim, num_classes))
            bowl.T *= 1e-3  # the bowl's minimum where the tries land, so their losses differ
            W, loss = _call_random_search(fn, bowl, dim, num_classes, num_tries,
                                          np.random.default_rng(_seed(ctx, salt + 1)))
            if not bowl.evaluated_once_per_try(num_tries):
                raise Failure(f"loss_fn evaluated at {num_tries} different W, one per try ({num_tries} tries)",
                              f"{bowl.distinct()} different W in {len(bowl.calls)} calls",
                              _tries_cause(bowl, num_tries))
            losses = [bowl.value(w) for w in bowl.calls]
            best = int(np.argmin(losses))
            if not np.array_equal(W, bowl.calls[best]):
                cause = "keep the W with the lowest loss: when a try beats the best loss so far, save that W with it"
                if any(np.array_equal(W, w) for w in bowl.calls):
                    if np.array_equal(W, bowl.calls[-1]):
                        cause = "the W of the last try came back: save W together with its loss when the loss improves"
                    elif np.array_equal(W, bowl.calls[int(np.argmax(losses))]):
                        cause = "the worst try came back: keep a try when its loss is lower (<) than the best so far"
                else:
                    cause = "best_W must be one of the W that were tried (the one with the lowest loss)"
                raise Failure(f"the tried W with the lowest loss "
                              f"(try {best + 1} of {num_tries}, loss {losses[best]:.6g})",
                              f"a W with loss {bowl.value(W):.6g}", cause)
            if not values_close(loss, losses[best], 1e-9, 1e-12):
                raise Failure(f"best_loss = {losses[best]:.6g}, the loss of best_W", f"{loss:.6g}",
                              "return the loss of the best W, not of the last try")
        return body

    def shape_and_calls():
        require_callable(fn, "random_search")
        bowl = Bowl.random(ctx.rng(10), (dim, num_classes))
        _call_random_search(fn, bowl, dim, num_classes, 5, np.random.default_rng(_seed(ctx, 11)))
        if not bowl.evaluated_once_per_try(5):
            raise Failure("loss_fn evaluated at 5 different W, one per try (5 tries)",
                          f"{bowl.distinct()} different W in {len(bowl.calls)} calls", _tries_cause(bowl, 5))

    yield ctx.run("returns (best_W, best_loss), W of shape (dim, num_classes), loss_fn evaluated once per try",
                  shape_and_calls)
    yield ctx.run("returns the W with the lowest loss of 50 tries, and that loss", keeps_best(50, 20), 2)
    yield ctx.run("a single try (num_tries = 1) returns that try", keeps_best(1, 30))


@check("random_search_random", basic=RANDOM_SEARCH_BASIC)
@seeded
def random_search_random(fn, ctx: CheckContext):
    dim, num_classes = 5, 4

    def tried(rng, num_tries=8, salt=40):
        bowl = Bowl.random(ctx.rng(salt), (dim, num_classes))
        W, loss = _call_random_search(fn, bowl, dim, num_classes, num_tries, rng)
        return bowl.calls, W

    def new_w_each_try():
        require_callable(fn, "random_search")
        calls, _ = tried(np.random.default_rng(_seed(ctx, 41)), num_tries=8)
        different = len({w.tobytes() for w in calls})
        if different != 8:
            raise Failure("a new random W for every try", f"{different} different W in 8 tries",
                          "draw W inside the loop, once per try")

    def generator_used():
        require_callable(fn, "random_search")
        seed = _seed(ctx, 42)
        with global_seed(seed + 1):
            first, W1 = tried(np.random.default_rng(seed))
        with global_seed(seed + 2):
            again, W2 = tried(np.random.default_rng(seed))
        if not (len(first) == len(again) and all(np.array_equal(a, b) for a, b in zip(first, again))
                and np.array_equal(W1, W2)):
            raise Failure("the same tries for two Generators with the same seed", "different tries",
                          "draw W from the rng argument when it is given: rng.standard_normal((dim, num_classes))")
        other, _ = tried(np.random.default_rng(seed + 7))
        if len(other) == len(first) and all(np.array_equal(a, b) for a, b in zip(first, other)):
            raise Failure("different tries for Generators with different seeds", "the same tries",
                          "draw W from the rng argument: rng.standard_normal((dim, num_classes))")

    def global_when_none():
        require_callable(fn, "random_search")
        seed = _seed(ctx, 43)
        with global_seed(seed):
            first, _ = tried(None)
        with global_seed(seed):
            again, _ = tried(None)
        with global_seed(seed + 1):
            other, _ = tried(None)
        same = lambda a, b: len(a) == len(b) and all(np.array_equal(u, v) for u, v in zip(a, b))  # noqa: E731
        if not same(first, again) or same(first, other):
            raise Failure("with rng=None, W drawn from np.random (the same np.random.seed gives the same tries)",
                          "tries that np.random.seed does not control",
                          "when rng is None draw with np.random.randn(dim, num_classes) (the global generator)")

    yield ctx.run("every try draws a new random W", new_w_each_try)
    yield ctx.run("the W come from the Generator passed as rng (same seed, same tries)", generator_used)
    yield ctx.run("rng=None draws from np.random (np.random.seed makes it reproducible)", global_when_none)


# ================================================================================================
# gradient_descent(loss_fn, W0, learning_rate, num_iters) -> (W, loss_history)
# ================================================================================================


def _call_gd(fn, bowl: Bowl, W0: np.ndarray, lr: float, num_iters: int):
    out = fn(bowl, W0, lr, num_iters)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise Failure("a tuple (W, loss_history)", f"{type(out).__name__} {brief(out, 60)}",
                      "return the final W and the list of losses: `return W, loss_history`")
    return as_array(out[0], W0.shape, "W"), out[1]


def _gd_trajectory(bowl: Bowl, W0: np.ndarray, lr: float, num_iters: int) -> list[np.ndarray]:
    Ws = [W0.copy()]
    for _ in range(num_iters):
        Ws.append(Ws[-1] - lr * bowl.grad(Ws[-1]))
    return Ws


def _path_cause(got: np.ndarray, bowl: Bowl, W0: np.ndarray, lr: float, num_iters: int, who: str) -> str:
    """Which common mistake, repeated for num_iters steps on `bowl` from W0, ends at `got`."""
    with np.errstate(all="ignore"):
        for update, cause in _wrong_steps(lr, who):
            W = W0
            for _ in range(num_iters):
                W = update(W, bowl.value(W), bowl.grad(W))
            if _same(got, np.broadcast_to(W, W0.shape)):
                return cause
    return f"each iteration evaluates loss_fn at the current W and steps {who} -= learning_rate * dW"


@basic_case("two iterations on a round bowl (learning_rate = 0.1): W moves from W0 along the gradient", 1001)
def GRADIENT_DESCENT_BASIC(fn, ctx: CheckContext) -> None:
    """On a round bowl every gradient on the way points along the first one, so W - W0 is a multiple of
    loss_fn(W0)[1] for any number of steps of any size, downhill or up: W0 echoed back, zeros or random
    numbers fail; a wrong step size or sign passes here and loses points on the criteria."""
    require_callable(fn, "gradient_descent")
    rng = ctx.rng(3)
    shape, lr, num_iters = (3, 2), 0.1, 2
    bowl, W0 = Bowl(np.ones(shape), rng.standard_normal(shape)), rng.standard_normal(shape)
    W, _ = _call_gd(fn, bowl, W0.copy(), lr, num_iters)
    dW = bowl.grad(W0)
    if not _along_gradient(W, W0, dW):
        raise Failure("W = W0 minus a multiple of dW = loss_fn(W0)[1] after 2 steps W -= learning_rate * dW "
                      "(on a round bowl the gradients along the way all point the same way)", _moved_got(W, W0, "W"),
                      _path_cause(W, bowl, W0, lr, num_iters, "W"))


@check("gradient_descent_step", basic=GRADIENT_DESCENT_BASIC)
@seeded
def gradient_descent_step(fn, ctx: CheckContext):
    shape = (4, 3)

    def one_step():
        require_callable(fn, "gradient_descent")
        rng = ctx.rng(50)
        bowl, W0, lr = Bowl.random(rng, shape), rng.standard_normal(shape), 0.1
        W, _ = _call_gd(fn, bowl, W0.copy(), lr, 1)
        want = W0 - lr * bowl.grad(W0)
        if not _close(W, want):
            raise Failure("W0 - learning_rate * dW after one iteration (learning_rate = 0.1)",
                          f"a W at relative distance {relative_error(W, want):.3g} from it",
                          _step_cause(W, W0, bowl.grad(W0), lr, "W", bowl.value(W0)))

    def several_steps():
        require_callable(fn, "gradient_descent")
        rng = ctx.rng(51)
        bowl, W0, lr, n = Bowl.random(rng, shape), rng.standard_normal(shape), 0.3, 5
        W, _ = _call_gd(fn, bowl, W0.copy(), lr, n)
        want = _gd_trajectory(bowl, W0, lr, n)
        if not _close(W, want[-1]):
            done = [k for k, Wk in enumerate(want) if _close(W, Wk)]
            cause = (f"W after {done[0]} steps came back: take num_iters = {n} steps, "
                     "each from the W of the step before"
                     if done else "each iteration evaluates loss_fn at the current W and steps W -= learning_rate * dW")
            raise Failure(f"W after {n} steps of W -= learning_rate * dW (learning_rate = 0.3)",
                          _distance(W, want[-1], "W"), cause)

    def unmodified():
        require_callable(fn, "gradient_descent")
        rng = ctx.rng(52)
        bowl, W0 = Bowl.random(rng, shape), rng.standard_normal(shape)
        require_unmodified(lambda W: _call_gd(fn, bowl, W, 0.1, 3), {"W0": W0},
                           "work on a copy: W = W0.copy() (W -= ... on W0 itself changes the caller's array)")

    yield ctx.run("one iteration gives W0 - learning_rate * dW", one_step, 2)
    yield ctx.run("five iterations step from each new W", several_steps)
    yield ctx.run("W0 is left unmodified", unmodified)


@check("gradient_descent_history", basic=GRADIENT_DESCENT_BASIC)
@seeded
def gradient_descent_history(fn, ctx: CheckContext):
    shape = (5, 3)

    def history_values():
        require_callable(fn, "gradient_descent")
        rng = ctx.rng(60)
        bowl, W0, lr, n = Bowl.random(rng, shape), rng.standard_normal(shape), 0.2, 6
        _, history = _call_gd(fn, bowl, W0.copy(), lr, n)
        got = _history(history, n)
        want = np.array([bowl.value(W) for W in _gd_trajectory(bowl, W0, lr, n)])
        if not np.allclose(got, want[:-1], rtol=1e-9, atol=1e-12):
            cause = "loss_history[t] is the loss at the t-th W, before its step: append the loss loss_fn returned"
            if np.allclose(got, want[1:], rtol=1e-9, atol=1e-12):
                cause = "the losses are those after each step: append the loss that loss_fn returned for the current W"
            raise Failure(f"the losses {np.array2string(want[:-1], precision=4)}",
                          np.array2string(got, precision=4), cause)

    def converges():
        require_callable(fn, "gradient_descent")
        rng = ctx.rng(61)
        bowl, W0 = Bowl.random(rng, shape), rng.standard_normal(shape)
        W, history = _call_gd(fn, bowl, W0.copy(), 0.5, 100)
        start, end = bowl.value(W0), bowl.value(W)
        if not (np.isfinite(end) and end <= 1e-6 * start):
            raise Failure(f"a loss below {1e-6 * start:.3g} (1e-6 of the start, {start:.4g}) after 100 iterations "
                          "on a quadratic bowl, learning_rate = 0.5", f"{end:.4g}",
                          "step downhill, against the gradient: W -= learning_rate * dW")

    yield ctx.run("loss_history has num_iters entries, the loss at each W before its step", history_values, 2)
    yield ctx.run("converges to the minimum of a quadratic bowl", converges)


# ================================================================================================
# sample_minibatch(X, y, batch_size, rng=None) -> (X_batch, y_batch)
# ================================================================================================


@dataclass
class IndexedData:
    """X whose rows are all different, so every minibatch row tells which row of X it is."""

    X: np.ndarray
    y: np.ndarray

    @classmethod
    def random(cls, rng: np.random.Generator, n: int, d: int, c: int) -> "IndexedData":
        X = rng.standard_normal((n, d))
        X[:, 0] = np.arange(n)  # the row index, so rows are distinct and easy to read in feedback
        y = rng.integers(0, c, size=n)
        y[: min(n, c)] = np.arange(min(n, c))
        rng.shuffle(y[: min(n, c)])
        return cls(X, y)

    def rows_of(self, X_batch: np.ndarray) -> np.ndarray:
        """The index of each minibatch row in X; a Failure when a row is not a row of X."""
        lookup = {row.tobytes(): i for i, row in enumerate(self.X)}
        idx = []
        for k, row in enumerate(np.asarray(X_batch, dtype=np.float64)):
            i = lookup.get(np.ascontiguousarray(row).tobytes())
            if i is None:
                raise Failure("every row of X_batch to be a row of X", f"X_batch[{k}] is not a row of X",
                              "select whole rows: X[idx] for an array idx of row indices")
            idx.append(i)
        return np.array(idx, dtype=np.int64)

    def expect_aligned(self, X_batch: np.ndarray, y_batch: np.ndarray, where: str = "y_batch") -> np.ndarray:
        idx = self.rows_of(X_batch)
        labels = np.asarray(y_batch)
        bad = np.flatnonzero(labels != self.y[idx])
        if bad.size:
            k = int(bad[0])
            raise Failure(f"{where}[i] = the label of the row X_batch[i] ({where}[{k}] = {self.y[idx[k]]}, "
                          f"the label of X[{idx[k]}])", f"{labels[k]} for {bad.size} of {len(labels)} examples",
                          "draw one array of indices and use it for both: idx = np.random.choice(N, batch_size); "
                          "X[idx], y[idx] (two separate draws pair images with the wrong labels)")
        return idx


def _call_sample(fn, data: IndexedData, batch_size: int, rng):
    n = data.X.shape[0]
    try:
        out = fn(data.X.copy(), data.y.copy(), batch_size, rng)
    except ValueError as exc:
        if batch_size <= n:
            raise
        raise Failure(f"a minibatch of batch_size = {batch_size} examples from N = {n}",
                      f"ValueError: {exc}", "batch_size may be larger than N: sample the indices with replacement, "
                      "np.random.choice(N, batch_size) (replace=True, the default)") from None
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise Failure("a tuple (X_batch, y_batch)", f"{type(out).__name__} {brief(out, 60)}",
                      "return both: `return X_batch, y_batch`")
    d = data.X.shape[1]
    X_batch, y_batch = np.asarray(out[0]), np.asarray(out[1])
    for name, got, want in (("X_batch", X_batch, (batch_size, d)), ("y_batch", y_batch, (batch_size,))):
        if got.shape != want:
            cause = "draw batch_size row indices and select those rows: X[idx], y[idx]"
            if batch_size > n and got.shape[:1] == (n,):
                cause = (f"batch_size ({batch_size}) is larger than N ({n}): sample the indices with replacement, "
                         "np.random.choice(N, batch_size) (slicing or replace=False cannot give more than N rows)")
            raise Failure(f"{name} of shape {want} (N = {n}, batch_size = {batch_size})", f"shape {got.shape}", cause)
    if not np.issubdtype(X_batch.dtype, np.number):
        raise Failure("X_batch of numbers", f"dtype {X_batch.dtype}")
    return X_batch.astype(np.float64, copy=False), y_batch


@basic_case("two minibatches of 5 from N = 20 (two Generators as rng): rows of X, and different rows", 1002)
def SAMPLE_MINIBATCH_BASIC(fn, ctx: CheckContext) -> None:
    """Sampling: the rows come from X, and two draws differ. Fixed rows (the first batch_size), X echoed
    back, zeros or random numbers fail; misaligned labels or sampling without replacement pass here
    and lose points on the criteria."""
    require_callable(fn, "sample_minibatch")
    data = IndexedData.random(ctx.rng(4), 20, 3, 3)
    first = data.rows_of(_call_sample(fn, data, 5, np.random.default_rng(_seed(ctx, 5)))[0])
    second = data.rows_of(_call_sample(fn, data, 5, np.random.default_rng(_seed(ctx, 6)))[0])
    if np.array_equal(first, second):
        cause = ("the batch is always the first batch_size rows: draw random indices, np.random.choice(N, batch_size) "
                 "(rng.choice(N, batch_size) when rng is given)") if np.array_equal(first, np.arange(5)) else \
            "draw random row indices on every call: rng.choice(N, batch_size)"
        raise Failure("two calls with differently seeded Generators to draw different rows",
                      f"the rows {first.tolist()} both times", cause)


@check("sample_minibatch_aligned", basic=SAMPLE_MINIBATCH_BASIC)
@seeded
def sample_minibatch_aligned(fn, ctx: CheckContext):
    def shapes():
        require_callable(fn, "sample_minibatch")
        data = IndexedData.random(ctx.rng(70), 50, 4, 3)
        with global_seed(_seed(ctx, 71)):
            _call_sample(fn, data, 10, None)
        _call_sample(fn, data, 7, np.random.default_rng(_seed(ctx, 72)))
        _, y_batch = _call_sample(fn, data, 1, np.random.default_rng(_seed(ctx, 73)))
        if not np.issubdtype(y_batch.dtype, np.integer):
            raise Failure("integer labels in y_batch", f"dtype {y_batch.dtype}", "y_batch = y[idx] keeps y's labels")

    def rows_of_X():
        require_callable(fn, "sample_minibatch")
        data = IndexedData.random(ctx.rng(74), 40, 3, 4)
        X_batch, _ = _call_sample(fn, data, 25, np.random.default_rng(_seed(ctx, 75)))
        data.rows_of(X_batch)

    def aligned():
        require_callable(fn, "sample_minibatch")
        data = IndexedData.random(ctx.rng(76), 60, 3, 5)
        X_batch, y_batch = _call_sample(fn, data, 30, np.random.default_rng(_seed(ctx, 77)))
        data.expect_aligned(X_batch, y_batch)
        with global_seed(_seed(ctx, 78)):
            X_batch, y_batch = _call_sample(fn, data, 30, None)
        data.expect_aligned(X_batch, y_batch)

    def unmodified():
        require_callable(fn, "sample_minibatch")
        data = IndexedData.random(ctx.rng(79), 20, 3, 3)

        def call(X, y):
            X_batch, y_batch = fn(X, y, 8, np.random.default_rng(_seed(ctx, 80)))   # unpacks, as a caller does

        require_unmodified(call, {"X": data.X, "y": data.y},
                           "select rows with X[idx] and y[idx]; do not shuffle X and y in place",
                           got="X or y changed by the call")

    def any_shape(example):
        data = IndexedData.random(np.random.default_rng(example["seed"]), example["n"], example["d"], example["c"])
        X_batch, y_batch = _call_sample(fn, data, example["batch_size"], np.random.default_rng(example["seed"]))
        data.expect_aligned(X_batch, y_batch)

    yield ctx.run("returns (X_batch, y_batch) of shapes (batch_size, D) and (batch_size,)", shapes)
    yield ctx.run("every row of X_batch is a row of X", rows_of_X)
    yield ctx.run("y_batch[i] is the label of X_batch[i] (rows and labels drawn together)", aligned, 2)
    yield ctx.run("X and y are left unmodified", unmodified)
    if callable(fn):
        yield from each_holds_for_all(ctx, _minibatch_examples(), {
            "any N, D and batch_size (including N = 1, D = 1, batch_size = 1): aligned rows of X": any_shape})
    else:
        yield ctx.run("any N, D and batch_size: aligned rows of X", lambda: require_callable(fn, "sample_minibatch"))


def _minibatch_examples():
    return st.fixed_dictionaries({"n": st.integers(1, 8), "d": st.integers(1, 4), "c": st.integers(1, 4),
                                  "batch_size": st.integers(1, 12), "seed": st.integers(0, 2**16)})


@check("sample_minibatch_random", basic=SAMPLE_MINIBATCH_BASIC)
@seeded
def sample_minibatch_random(fn, ctx: CheckContext):
    data = IndexedData.random(ctx.rng(90), 100, 3, 4)

    def batch(rng, batch_size=10):
        X_batch, y_batch = _call_sample(fn, data, batch_size, rng)
        return data.expect_aligned(X_batch, y_batch)

    def differ_global():
        require_callable(fn, "sample_minibatch")
        seed = _seed(ctx, 91)
        with global_seed(seed):
            first, second = batch(None), batch(None)
        if np.array_equal(first, second):
            cause = ("the batch is always the first batch_size rows: draw random indices, "
                     "np.random.choice(N, batch_size)") if np.array_equal(first, np.arange(10)) else \
                "draw new random indices on every call"
            raise Failure("two calls give different minibatches", f"the same rows {first.tolist()} twice", cause)
        with global_seed(seed):
            again = batch(None)
        if not np.array_equal(first, again):
            raise Failure("with rng=None, rows drawn from np.random (the same np.random.seed gives the same batch)",
                          "a batch that np.random.seed does not control",
                          "when rng is None draw with np.random.choice (the global generator)")

    def generator():
        require_callable(fn, "sample_minibatch")
        seed = _seed(ctx, 92)
        with global_seed(seed + 1):
            first = batch(np.random.default_rng(seed))
        with global_seed(seed + 2):
            again = batch(np.random.default_rng(seed))
        if not np.array_equal(first, again):
            raise Failure("the same minibatch for two Generators with the same seed", "different minibatches",
                          "draw from the rng argument when it is given: "
                          "rng.choice(N, batch_size) or rng.integers(0, N, batch_size)")
        rng = np.random.default_rng(seed + 3)
        if np.array_equal(batch(rng), batch(rng)):
            raise Failure("two draws from one Generator give different minibatches", "the same minibatch",
                          "draw from the rng argument: rng.choice(N, batch_size)")

    def larger_than_n():
        require_callable(fn, "sample_minibatch")
        small = IndexedData.random(ctx.rng(93), 6, 3, 3)
        X_batch, y_batch = _call_sample(fn, small, 15, np.random.default_rng(_seed(ctx, 94)))
        small.expect_aligned(X_batch, y_batch)
        with global_seed(_seed(ctx, 95)):
            X_batch, y_batch = _call_sample(fn, small, 15, None)
        small.expect_aligned(X_batch, y_batch)

    yield ctx.run("rng=None: two calls differ, and np.random.seed makes a call reproducible", differ_global)
    yield ctx.run("a Generator as rng: the same seed gives the same minibatch", generator)
    yield ctx.run("batch_size larger than N works (sampling with replacement)", larger_than_n)


# ================================================================================================
# LinearClassifier.train / predict, checked through a subclass with the grader's loss
# ================================================================================================


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
    with global_seed(seed):
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
    obj, _ = _train(cls, rec, W0, _seed(ctx, 9), learning_rate=lr, reg=0.01, num_iters=1, batch_size=20)
    call = rec.calls[0]
    W = _final_W(obj, W0.shape)
    if not _along_gradient(W, call.W, call.grad):
        raise Failure("self.W moved along the gradient dW that self.loss returned: self.W -= learning_rate * dW "
                      "(one iteration, learning_rate = 0.1)", _moved_got(W, call.W, "self.W"),
                      _step_cause(W, call.W, call.grad, lr, "self.W", call.loss))


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
    _train(cls, rec, W0, _seed(ctx, 12), learning_rate=1e-3, reg=0.0, num_iters=3, batch_size=batch_size)
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
        obj, _ = _train(cls, rec, W0, _seed(ctx, 102), learning_rate=lr, reg=0.01, num_iters=1, batch_size=20)
        call = rec.calls[0]
        if not np.array_equal(call.W, W0):
            raise Failure("the first iteration to start from the W set before train",
                          _distance(np.asarray(call.W), W0, "W"), "initialize W only when self.W is None")
        W = _final_W(obj, W0.shape)
        want = W0 - lr * call.grad
        if not _close(W, want):
            raise Failure("self.W = W - learning_rate * dW after one iteration (learning_rate = 0.1)",
                          f"a W at relative distance {relative_error(W, want):.3g} from it",
                          _step_cause(W, W0, call.grad, lr, "self.W", call.loss))

    def chained():
        rec, W0 = _train_setup(ctx, 103)
        lr = 0.03
        obj, _ = _train(cls, rec, W0, _seed(ctx, 105), learning_rate=lr, reg=0.1, num_iters=6, batch_size=15)
        W = _final_W(obj, W0.shape)
        expected_W = [c.W for c in rec.calls[1:]] + [W]
        for t, (call, got) in enumerate(zip(rec.calls, expected_W)):
            want = call.W - lr * call.grad
            if not _close(got, want):
                raise Failure(f"iteration {t + 1} to end at W - learning_rate * dW of its own minibatch",
                              f"a W at relative distance {relative_error(got, want):.3g} from it",
                              _step_cause(got, call.W, call.grad, lr, "self.W", call.loss))

    def reg_passed():
        rec, W0 = _train_setup(ctx, 106)
        _train(cls, rec, W0, _seed(ctx, 108), learning_rate=1e-3, reg=0.25, num_iters=3, batch_size=10)
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
            _, history = _train(cls, rec, W0, _seed(ctx, salt + 2), learning_rate=0.05, reg=0.01,
                                num_iters=num_iters, batch_size=12)
            got = _history(history, num_iters)
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
                _train(cls, rec, W0, _seed(ctx, 122), learning_rate=1e-3, reg=0.0, num_iters=num_iters,
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
            obj, history = _train(cls, rec, W0, _seed(ctx, 125), learning_rate=1e-2, reg=0.0, num_iters=4,
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
        _train(cls, rec, None, _seed(ctx, 132), learning_rate=1e-3, reg=0.0, num_iters=2, batch_size=10)
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
        _train(cls, rec, W0, _seed(ctx, 135), learning_rate=1e-3, reg=0.0, num_iters=1, batch_size=10)
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


# ================================================================================================
# LinearSVM.loss and Softmax.loss: the provided vectorized losses, through the class alone
# ================================================================================================


# The names a subclass's loss may call: the vectorized losses the notebook asks to paste, and the naive
# ones a student may have pasted with them (the same function, graded in losses.ipynb).
PASTED_LOSSES = {"svm_loss_vectorized": ref_losses.svm_loss, "softmax_loss_vectorized": ref_losses.softmax_loss,
                 "svm_loss_naive": ref_losses.svm_loss, "softmax_loss_naive": ref_losses.softmax_loss}


def _subclass_loss(name: str, function: str, reference, other, other_name: str):
    def run(cls, ctx: CheckContext):
        def matches(salt: int, n: int, d: int, c: int, reg: float):
            def body():
                require_class(cls, name)
                p = random_problem(ctx.rng(salt), n, d, c, reg)
                obj = cls.__new__(cls)  # W is all loss needs; the base class's __init__ is not graded here
                obj.W = p.W.copy()
                # The losses the student pasted in are graded in losses.ipynb, not here.
                with trusted_names(getattr(cls, "loss", None), PASTED_LOSSES):
                    out = obj.loss(p.X.copy(), p.y.copy(), reg)
                if not isinstance(out, (tuple, list)) or len(out) != 2:
                    raise Failure("a tuple (loss, dW)", f"{type(out).__name__} {brief(out, 60)}",
                                  "return what the vectorized loss returns: `return loss, dW`")
                loss = as_scalar(out[0], "the loss")
                dW = as_array(out[1], p.W.shape, "dW")
                want_loss, want_dW = reference(*p.args())
                if not (values_close(loss, want_loss, 1e-9) and relative_error(dW, want_dW) <= 1e-9):
                    cause = f"{name}.loss returns {function}(self.W, X_batch, y_batch, reg)"
                    other_loss, other_dW = other(*p.args())
                    if values_close(loss, other_loss, 1e-9) and relative_error(dW, other_dW) <= 1e-9:
                        cause = f"this is the {other_name} loss: {name}.loss must call {function}"
                    elif reg and values_close(loss, reference(p.W, p.X, p.y, 0.0)[0], 1e-9):
                        cause = "reg is not passed on: pass the reg argument to the loss function"
                    raise Failure(f"loss {want_loss:.6g} and its dW ({p.where()})", f"loss {loss:.6g}", cause)
            return body

        yield ctx.run("loss and dW on self.W match the provided loss function (reg = 0)", matches(150, 8, 5, 3, 0.0))
        yield ctx.run("loss and dW with regularization (reg = 0.5)", matches(151, 10, 4, 4, 0.5))
    return run


check("linear_svm_loss")(seeded(_subclass_loss("LinearSVM", "svm_loss_vectorized",
                                               ref_losses.svm_loss, ref_losses.softmax_loss, "softmax")))
check("softmax_classifier_loss")(seeded(_subclass_loss("Softmax", "softmax_loss_vectorized",
                                                       ref_losses.softmax_loss, ref_losses.svm_loss, "SVM")))


# ================================================================================================
# The tuned hyperparameters: the reference Softmax retrained with them
# ================================================================================================


DIGITS_MIN_VAL_ACCURACY = 0.93  # course.yaml's params.min_val_accuracy overrides it
CIFAR10_MIN_VAL_ACCURACY = 0.30  # not calibrated here (no CIFAR-10 in CI): set params.cifar10_min_val_accuracy


def _tuning_data(ctx: CheckContext) -> tuple[dict, str, float, tuple]:
    """(data, its name, the minimum validation accuracy, a key naming the data) for the tuning check."""
    folder = ctx.data.cifar10_dir
    if folder:
        path = Path(folder)
        if not path.is_absolute() and ctx.course_root is not None:
            path = ctx.course_root / path
        sizes = [int(ctx.params.get(f"cifar10_num_{part}", default))
                 for part, default in (("train", 5000), ("val", 1000), ("test", 1000))]
        try:
            data = datasets.cifar10(path, *sizes)
        except (OSError, KeyError, ValueError, EOFError) as exc:  # pickle errors included
            raise Failure("CIFAR-10's python batches in the folder course.yaml names (data.cifar10_dir)",
                          f"{type(exc).__name__}: {exc}",
                          "a problem of the course's configuration, not of your answer: "
                          "please tell your instructor") from None
        return (data, "CIFAR-10", float(ctx.params.get("cifar10_min_val_accuracy", CIFAR10_MIN_VAL_ACCURACY)),
                ("cifar10", str(path), *sizes))
    return (datasets.digits(), "digits", float(ctx.params.get("min_val_accuracy", DIGITS_MIN_VAL_ACCURACY)),
            ("digits",))


def _positive(value, name: str, allow_zero: bool) -> float:
    if value is None:
        raise Failure(f"a number for {name}", "None (not answered)",
                      "replace None with the value you chose and run the cell")
    if isinstance(value, bool):
        raise Failure(f"a number for {name}", brief(value, 60))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Failure(f"a number for {name}", f"{type(value).__name__} {brief(value, 40)}") from None
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise Failure(f"{name} {'>= 0' if allow_zero else '> 0'}", f"{number!r}")
    return number


TUNING_PARAMS = {
    "min_val_accuracy": Param("number", DIGITS_MIN_VAL_ACCURACY,
                              "the validation accuracy on digits the reference must reach with the student's values"),
    "reference_val_accuracy": Param("number", None, "the reference's own accuracy with its pick: a calibration record"),
    "cifar10_min_val_accuracy": Param("number", CIFAR10_MIN_VAL_ACCURACY,
                                      "the same on CIFAR-10, when data.cifar10_dir is set"),
    "cifar10_num_train": Param("integer", None, "CIFAR-10 training images used"),
    "cifar10_num_val": Param("integer", None, "CIFAR-10 validation images used"),
    "cifar10_num_test": Param("integer", None, "CIFAR-10 test images used"),
    "num_iters": Param("integer", None, "training iterations of the reference"),
    "batch_size": Param("integer", None, "minibatch size of the reference"),
}


def _tuning_values(answer) -> tuple[float, float]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Failure("(best_learning_rate, best_reg)", f"{brief(answer, 60)}")
    return _positive(answer[0], "best_learning_rate", False), _positive(answer[1], "best_reg", True)


@dataclass(frozen=True)
class Tuning:
    """The reference Softmax trained with the student's values: what the tuning checks judge."""

    lr: float
    reg: float
    name: str            # the data set
    minimum: float       # the validation accuracy a good pick reaches (course.yaml)
    chance: float        # the accuracy of guessing, 1 / number of classes
    num_iters: int
    batch_size: int
    val: float           # validation accuracy, 0 when training diverged
    diverged: bool

    def training(self) -> str:
        return (f"the reference Softmax trained with learning_rate = {self.lr:g}, reg = {self.reg:g}, "
                f"num_iters = {self.num_iters}, batch_size = {self.batch_size}")


_TUNING_CACHE: dict[tuple, tuple[float, bool]] = {}


def _tuning(answer, ctx: CheckContext) -> Tuning:
    """The reference trained once per data set and values (the basic case and the criterion share it)."""
    lr, reg = _tuning_values(answer)
    num_iters = int(ctx.params.get("num_iters", ref.TUNING_NUM_ITERS))
    batch_size = int(ctx.params.get("batch_size", ref.TUNING_BATCH_SIZE))
    data, name, minimum, key = _tuning_data(ctx)
    key = (*key, lr, reg, num_iters, batch_size)
    if key not in _TUNING_CACHE:
        classifier, _ = ref.train_softmax(data["X_train"], data["y_train"], lr, reg, num_iters, batch_size,
                                          ref.TUNING_SEED)
        diverged = not bool(np.all(np.isfinite(classifier.W)))
        val = 0.0 if diverged else ref.accuracy(classifier, data["X_val"], data["y_val"])
        if len(_TUNING_CACHE) >= 64:
            _TUNING_CACHE.clear()
        _TUNING_CACHE[key] = (val, diverged)
    val, diverged = _TUNING_CACHE[key]
    chance = 1.0 / max(1, np.unique(data["y_train"]).size)
    return Tuning(lr, reg, name, minimum, chance, num_iters, batch_size, val, diverged)


def _learned_nothing_cause(t: Tuning) -> str:
    if t.diverged:
        return (f"the training diverged (W overflowed): learning_rate = {t.lr:g} overshoots; pick the combination "
                "of the grid with the highest validation accuracy")
    return ("W barely learned in the iterations given: a learning rate this small barely moves W, a reg this large "
            "keeps W near 0; pick the combination of the grid with the highest validation accuracy")


@basic_case("the reference Softmax trained with your values learns: validation accuracy well above chance", 1006)
def TUNING_BASIC(answer, ctx: CheckContext) -> None:
    """Values the tuning never chose (a learning rate that diverges or barely moves W, a reg that crushes
    it) earn nothing, not even for being numbers; a good but not the best pick passes here and loses
    points on the accuracy criterion. "Well above chance": half way from chance to the minimum."""
    t = _tuning(answer, ctx)
    floor = t.chance + (t.minimum - t.chance) / 2
    if not t.val >= floor:
        raise Failure(f"validation accuracy >= {floor:.3f} on {t.name}, half way from chance ({t.chance:.2f}) to "
                      f"{t.minimum:.3f} ({t.training()})", f"{t.val:.3f}", _learned_nothing_cause(t))


@check("tuned_hyperparameters", basic=TUNING_BASIC, params=TUNING_PARAMS)
@seeded
def tuned_hyperparameters(answer, ctx: CheckContext):
    def accurate():
        t = _tuning(answer, ctx)
        if not t.val >= t.minimum:
            if t.val <= t.chance + (t.minimum - t.chance) / 2:
                cause = _learned_nothing_cause(t)
            else:
                cause = ("pick the combination with the highest validation accuracy; a learning rate too small "
                         "barely moves W in the iterations given, a reg too large shrinks W too much")
            raise Failure(f"validation accuracy >= {t.minimum:.3f} on {t.name} ({t.training()})", f"{t.val:.3f}", cause)

    yield ctx.run("best_learning_rate > 0 and best_reg >= 0 are numbers", lambda: _tuning_values(answer))
    yield ctx.run("the reference Softmax trained with them reaches the validation accuracy", accurate, 2)
