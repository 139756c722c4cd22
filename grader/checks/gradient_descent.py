"""Checks of optimization.ipynb: gradient_descent(loss_fn, W0, learning_rate, num_iters) -> (W, loss_history).

Helpers these checks share with the notebook's other checks are in optimization.py.
"""

from __future__ import annotations

import numpy as np

from ..numerics import relative_error
from ..outcome import CheckContext, Failure
from .calls import as_array, require_callable
from .optimization import (
    Bowl,
    along_gradient,
    as_history,
    basic_case,
    distance_from,
    moved_got,
    same_result,
    same_weights,
    seeded,
    step_cause,
    wrong_steps,
)
from .problems import brief
from .registry import check
from .unmodified import require_unmodified


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
        for update, cause in wrong_steps(lr, who):
            W = W0
            for _ in range(num_iters):
                W = update(W, bowl.value(W), bowl.grad(W))
            if same_result(got, np.broadcast_to(W, W0.shape)):
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
    if not along_gradient(W, W0, dW):
        raise Failure("W = W0 minus a multiple of dW = loss_fn(W0)[1] after 2 steps W -= learning_rate * dW "
                      "(on a round bowl the gradients along the way all point the same way)", moved_got(W, W0, "W"),
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
        if not same_weights(W, want):
            raise Failure("W0 - learning_rate * dW after one iteration (learning_rate = 0.1)",
                          f"a W at relative distance {relative_error(W, want):.3g} from it",
                          step_cause(W, W0, bowl.grad(W0), lr, "W", bowl.value(W0)))

    def several_steps():
        require_callable(fn, "gradient_descent")
        rng = ctx.rng(51)
        bowl, W0, lr, n = Bowl.random(rng, shape), rng.standard_normal(shape), 0.3, 5
        W, _ = _call_gd(fn, bowl, W0.copy(), lr, n)
        want = _gd_trajectory(bowl, W0, lr, n)
        if not same_weights(W, want[-1]):
            done = [k for k, Wk in enumerate(want) if same_weights(W, Wk)]
            cause = (f"W after {done[0]} steps came back: take num_iters = {n} steps, "
                     "each from the W of the step before"
                     if done else "each iteration evaluates loss_fn at the current W and steps W -= learning_rate * dW")
            raise Failure(f"W after {n} steps of W -= learning_rate * dW (learning_rate = 0.3)",
                          distance_from(W, want[-1], "W"), cause)

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
        got = as_history(history, n)
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


