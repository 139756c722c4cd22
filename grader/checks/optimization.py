"""What the checks of optimization.ipynb share: the seeded global random state around every call, the
quadratic bowl and the indexed data set the checks hand the student's functions, and the validation of
weights and loss histories.

Each function's checks live in a module of their own (random_search, gradient_descent, sample_minibatch,
linear_classifier, classifier_losses, hyperparameters). One bug costs points once: every loss these
checks need is the grader's own. Random search and gradient descent get a grader-supplied `loss_fn` (a
quadratic bowl whose minimum and gradient are known); `LinearClassifier.train` is checked by subclassing
the student's class with a grader-supplied `loss` that records every call; `LinearSVM` and `Softmax` are
checked through their `loss` alone; the hyperparameters by training the reference Softmax with them.

The student's code draws from `np.random` (CS231n's API). Around every call the checks seed it from the
course's seed and put the student's global random state back afterwards, so grades are deterministic
and grading leaves the kernel's random state as it was.
"""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field

import numpy as np

from ..answers import seed_random
from ..numerics import relative_error
from ..outcome import CheckContext, Failure
from .closeness import close
from .problems import brief
from .registry import BasicCase

# -- helpers --------------------------------------------------------------------------------------


@contextlib.contextmanager
def global_seed(seed: int, answer=None):
    """np.random seeded with `seed` inside the block, here and where `answer`'s code runs (the grading
    worker, for its stand-ins); the previous global state here restored after."""
    state = np.random.get_state()
    np.random.seed(seed % 2**32)
    seed_random(answer, seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def criterion_seed(ctx: CheckContext, salt: int) -> int:
    """A seed for np.random in one criterion: from the course's seed and the criterion's own salt."""
    return int(ctx.rng(salt).integers(0, 2**31))


def seeded(run):
    """The whole check under a seeded np.random (student code may draw from it even where it should
    use the Generator it was given); the kernel's random state is put back afterwards."""

    @functools.wraps(run)
    def wrapped(answer, ctx: CheckContext):
        with global_seed(criterion_seed(ctx, 999), answer):
            yield from run(answer, ctx)

    return wrapped


def basic_case(checked: str, salt: int):
    """Decorator: `body(answer, ctx)` as a BasicCase run under a seeded np.random (the kernel's state
    put back afterwards), like every criterion of these checks."""

    def make(body) -> BasicCase:
        def run(answer, ctx: CheckContext) -> None:
            with global_seed(criterion_seed(ctx, salt), answer):
                body(answer, ctx)

        return BasicCase(checked, run)

    return make


def require_class(answer, name: str) -> None:
    if not isinstance(answer, type):
        raise Failure(f"`{name}` to be a class", f"{type(answer).__name__} {brief(answer, 60)}",
                      f"define `class {name}` in its answer cell and run that cell")


def same_weights(got: np.ndarray, want: np.ndarray) -> bool:
    """W after the same steps as the reference: equal up to rounding."""
    return close(got, want, 1e-9)


def distance_from(got: np.ndarray, want: np.ndarray, name: str) -> str:
    """What came back instead of `want`, measured: its shape if that differs, else how far it is."""
    if got.shape != want.shape:
        return f"a {name} of shape {got.shape} instead of {want.shape}"
    if not np.all(np.isfinite(got)):
        return f"a {name} with non-finite entries"
    return (f"a {name} at relative distance {relative_error(got, want):.3g} from it "
            f"(largest entry of the difference: {float(np.max(np.abs(got - want))):.3g})")


def as_history(value, num_iters: int, what: str = "the loss history") -> np.ndarray:
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


def wrong_steps(lr: float, who: str) -> list:
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


def same_result(got: np.ndarray, candidate: np.ndarray) -> bool:
    """`got` is what `candidate` (one step's result) is, up to rounding."""
    return got.shape == candidate.shape and relative_error(got, candidate) <= 1e-9


def step_cause(got: np.ndarray, W: np.ndarray, dW: np.ndarray, lr: float, who: str, loss: float | None = None) -> str:
    """Which common mistake turns W into `got` for one step with gradient dW (at loss `loss`)."""
    with np.errstate(all="ignore"):
        for update, cause in wrong_steps(lr, who):
            if loss is None and "uses the loss" in cause:
                continue
            if same_result(got, update(W, loss, dW)):
                return cause
    return f"one step of gradient descent is {who} -= learning_rate * dW, with dW the gradient of this iteration"


def along_gradient(got: np.ndarray, W: np.ndarray, dW: np.ndarray) -> bool:
    """got = W + alpha * dW for some alpha != 0: W moved along the gradient, in either direction and by
    any step size (how far and which way are the other criteria's business)."""
    with np.errstate(all="ignore"):
        step = np.asarray(got, dtype=np.float64) - W
        if step.shape != dW.shape or not np.all(np.isfinite(step)) or not np.any(step) or not np.any(dW):
            return False
        alpha = float(np.sum(step * dW) / np.sum(dW * dW))
        return alpha != 0 and float(np.linalg.norm(step - alpha * dW)) <= 1e-6 * float(np.linalg.norm(step))


def moved_got(got: np.ndarray, W: np.ndarray, who: str) -> str:
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
