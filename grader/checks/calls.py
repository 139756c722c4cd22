"""Calling the student's function and validating what comes back (shape, then type, then value)."""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator

import numpy as np

from ..answers import Answer, as_answer
from ..outcome import Failure
from .arrays import returned_array, returned_number
from .problems import Problem, brief


def require_callable(answer, name: str) -> None:
    if not callable(answer):
        raise Failure(f"`{name}` to be a function", f"{type(answer).__name__} {brief(answer, 60)}",
                      f"define `{name}` in its answer cell and run that cell")


def as_scalar(value, what: str) -> float:
    """A returned loss: one number; an array of them is explained as per-example losses not averaged."""
    return returned_number(value, what,
                           array_cause="average the per-example losses into one number: the mean over the N examples")


def as_array(value, shape: tuple[int, ...], what: str) -> np.ndarray:
    """A returned array of the loss functions' family (dW, per-example losses, probabilities): real
    numbers of exactly `shape`; a wrong 2-D shape is explained by W's or the scores' shape."""
    def shape_cause(got: tuple) -> str:
        if what == "dW":
            return "dW must have the shape of W, (D, C)"
        return f"{what} must have the shape of the scores, (N, C)" if len(shape) == 2 else ""

    return returned_array(value, shape, what, shape_cause=shape_cause, transposed=True, keep_dtype=True)


@contextlib.contextmanager
def trusted_names(answer, references: dict[str, Callable]) -> Iterator[None]:
    """While the student's `answer` runs, the given names in its module (the notebook's namespace) are
    trusted references, restored afterwards. A student's answer may build on their other answers
    (elastic net on their L1, LinearSVM.loss on their pasted SVM loss); this way a mistake in those
    costs points only where it is made. `answer` may be part of an answer (a method of the student's
    class); what is not a function (None) runs nothing to patch."""
    answer = as_answer(answer)
    if not isinstance(answer, Answer):
        yield
        return
    with answer.patched_globals(references):
        yield


def call_loss(loss_fn, problem: Problem) -> tuple[float, np.ndarray]:
    """loss_fn(W, X, y, reg) -> (loss, dW), validated."""
    out = loss_fn(*problem.args())
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise Failure("a tuple (loss, dW)", f"{type(out).__name__} {brief(out, 60)}",
                      "the loss functions return both the loss and its gradient: `return loss, dW`")
    loss = as_scalar(out[0], "the loss")
    dW = as_array(out[1], problem.W.shape, "dW")
    return loss, dW
