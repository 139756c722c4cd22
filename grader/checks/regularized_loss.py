"""Checks of regularization.ipynb: `regularized_loss`, handed trusted data losses and regularizers from
`grader.reference`, so it is graded on how it combines them. Helpers shared with the notebook's other
checks are in regularization.py.
"""

from __future__ import annotations

import numpy as np

from ..numerics import relative_error
from ..outcome import CheckContext, Failure
from ..reference import losses as ref_losses
from ..reference import regularization as ref
from .calls import require_callable
from .registry import BasicCase, check
from .regularization import known_cause, same_gradient, same_value, value_and_gradient
from .unmodified import require_unmodified

# -- regularized_loss -----------------------------------------------------------------------------

RLOSS = "regularized_loss"


def _named(fn, name: str):
    fn.__name__ = fn.__qualname__ = name   # Python's TypeError messages then say `data_loss_fn() takes ...`
    return fn


def _data_loss(reference):
    """A trusted data loss (W, X, y) -> (loss, dW): the reference loss without regularization."""
    return _named(lambda W, X, y: reference(W, X, y, 0.0), "data_loss_fn")


def _regularizer(reference):
    """A trusted regularizer (W, reg) -> (R, dR)."""
    return _named(lambda W, reg: reference(W, reg), "regularizer")


def _call_rloss(fn, data_loss_fn, regularizer, W, X, y, reg, *, copy: bool = True):
    """fn(data_loss_fn, regularizer, W, X, y, reg), with calls of the two parts with the wrong arguments
    explained; returns what fn returned, unvalidated."""
    require_callable(fn, RLOSS)
    args = (W.copy(), X.copy(), y.copy()) if copy else (W, X, y)
    try:
        return fn(data_loss_fn, regularizer, *args, reg)
    except TypeError as exc:
        text = str(exc)
        if text.startswith("data_loss_fn()"):
            raise Failure("a call data_loss_fn(W, X, y)", f"TypeError: {text}",
                          "data_loss_fn takes (W, X, y) and returns the data loss without regularization: do "
                          "not pass reg to it; the regularizer adds the penalty") from None
        if text.startswith("regularizer()"):
            raise Failure("a call regularizer(W, reg)", f"TypeError: {text}",
                          "the regularizer takes (W, reg): R, dR = regularizer(W, reg)") from None
        raise


def _rloss(fn, data_loss_fn, regularizer, W, X, y, reg) -> tuple[float, np.ndarray]:
    return value_and_gradient(_call_rloss(fn, data_loss_fn, regularizer, W, X, y, reg), "loss", "dW", W.shape)


def _problem(rng, n=12, d=5, c=3):
    return rng.standard_normal((d, c)) * 0.5, rng.standard_normal((n, d)), rng.integers(0, c, n)


def _expect_rloss(ctx: CheckContext, fn, data_loss_fn, regularizer, W, X, y, reg, expected, what) -> None:
    loss, dW = _rloss(fn, data_loss_fn, regularizer, W, X, y, reg)
    want_loss, want_dW = expected
    data, d_data = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    if not same_value(loss, want_loss, ctx.tol.value_rel_error):
        if loss == 0 and R == 0:   # nothing added: neither part, or only the penalty, which is 0 here
            cause = ("the loss is 0: call data_loss, dW_data = data_loss_fn(W, X, y) and R, dR = regularizer(W, reg), "
                     "and return their sum")
        else:
            cause = known_cause(loss, want_loss, [
                (data, "the regularization R is missing from the loss: return data_loss + R"),
                (data + 2 * R, "the regularization is counted twice: add R once"),
                (R, "the data loss is missing: return data_loss + R"),
                (data - R, "add the penalty: data_loss + R"),
            ], True)
        raise Failure(f"loss = data loss + R = {want_loss:.6g} ({what})", f"{loss:.6g}",
                      cause or "loss = data_loss_fn(W, X, y)[0] + regularizer(W, reg)[0]")
    if not same_gradient(dW, want_dW, ctx.tol.gradient_rel_error):
        cause = known_cause(dW, want_dW, [
            (d_data, "the regularization gradient dR is missing from dW: return dW_data + dR"),
            (d_data + 2 * dR, "the regularization gradient is counted twice: add dR once"),
            (dR, "the data gradient is missing: dW = dW_data + dR"),
        ], False)
        raise Failure(f"dW = dW_data + dR ({what})", f"relative error {relative_error(dW, want_dW):.3g}",
                      cause or "dW = data_loss_fn(W, X, y)[1] + regularizer(W, reg)[1]")


def _rloss_basic(fn, ctx: CheckContext) -> None:
    """With reg = 0 the loss and gradient are the data loss's: an answer that ignores what it is given
    fails, while slips in the penalty (counted twice, dR dropped, a fixed L2) all show only for reg > 0."""
    W, X, y = _problem(ctx.rng(439), n=4, d=3, c=3)
    data_loss_fn = _data_loss(ref_losses.softmax_loss)
    _expect_rloss(ctx, fn, data_loss_fn, _regularizer(ref.l2), W, X, y, 0.0, ref_losses.softmax_loss(W, X, y, 0.0),
                  "softmax data loss + L2 with reg = 0, N = 4")


RLOSS_BASIC = BasicCase("with reg = 0 the loss and dW are the data loss's (softmax data loss + L2, N = 4)",
                        _rloss_basic)


@check("regularized_loss_values", basic=RLOSS_BASIC)
def regularized_loss_values(fn, ctx: CheckContext):
    rng = ctx.rng(440)
    W, X, y = _problem(rng)
    svm, softmax = _data_loss(ref_losses.svm_loss), _data_loss(ref_losses.softmax_loss)
    l1, l2 = _regularizer(ref.l1), _regularizer(ref.l2)

    def case(data_loss_fn, regularizer, reg, expected, what):
        return lambda: _expect_rloss(ctx, fn, data_loss_fn, regularizer, W, X, y, reg, expected, what)

    yield ctx.run("returns (loss, dW): a number and an array shaped like W",
                  lambda: _rloss(fn, svm, l2, W, X, y, 0.1))
    yield ctx.run("SVM data loss + L2 (reg = 0.5) is the regularized SVM loss and gradient of the losses notebook",
                  case(svm, l2, 0.5, ref_losses.svm_loss(W, X, y, 0.5), "SVM + L2, reg = 0.5"))
    yield ctx.run("softmax data loss + L1 (reg = 0.2): the sum of both, loss and gradient",
                  case(softmax, l1, 0.2, ref.regularized_loss(softmax, l1, W, X, y, 0.2),
                       "softmax + L1, reg = 0.2"))
    yield ctx.run("reg = 0 gives the data loss and its gradient alone",
                  case(softmax, l2, 0.0, ref_losses.softmax_loss(W, X, y, 0.0), "softmax + L2, reg = 0"))


class _Recorder:
    """Callables with the documented signatures that record their calls and return fixed values."""

    def __init__(self, W):
        rng = np.random.default_rng(7)
        self.data_value, self.data_grad = 1.25, rng.standard_normal(W.shape)
        self.reg_value, self.reg_grad = 0.5, rng.standard_normal(W.shape)
        self.data_calls: list[tuple] = []
        self.reg_calls: list[tuple] = []

        def data_loss_fn(W, X, y):
            self.data_calls.append((np.array(W), np.array(X), np.array(y)))
            return self.data_value, self.data_grad.copy()

        def regularizer(W, reg):
            self.reg_calls.append((np.array(W), reg))
            return self.reg_value, self.reg_grad.copy()

        self.data_loss_fn, self.regularizer = _named(data_loss_fn, "data_loss_fn"), _named(regularizer, "regularizer")


@check("regularized_loss_calls", basic=RLOSS_BASIC)
def regularized_loss_calls(fn, ctx: CheckContext):
    rng = ctx.rng(450)
    W, X, y = _problem(rng, n=6, d=4, c=3)
    reg = 0.35

    def run_recorded() -> tuple[_Recorder, tuple[float, np.ndarray]]:
        rec = _Recorder(W)
        out = _call_rloss(fn, rec.data_loss_fn, rec.regularizer, W, X, y, reg)
        return rec, value_and_gradient(out, "loss", "dW", W.shape)

    def calls_data_loss():
        rec, _ = run_recorded()
        if not rec.data_calls:
            raise Failure("a call data_loss_fn(W, X, y)", "no call",
                          "use the data loss you are given: data_loss, dW = data_loss_fn(W, X, y)")
        for Wc, Xc, yc in rec.data_calls:
            if not (np.array_equal(Wc, W) and np.array_equal(Xc, X) and np.array_equal(yc, y)):
                raise Failure("data_loss_fn called with the W, X and y given", "other arrays",
                              "pass W, X and y through unchanged: data_loss_fn(W, X, y)")

    def calls_regularizer():
        rec, _ = run_recorded()
        if not rec.reg_calls:
            raise Failure("a call regularizer(W, reg)", "no call",
                          "use the regularizer you are given (L2, L1, ...), not a fixed one: "
                          "R, dR = regularizer(W, reg)")
        for Wc, r in rec.reg_calls:
            if not (np.array_equal(Wc, W) and r == reg):
                raise Failure(f"regularizer called with the W given and reg = {reg:g}",
                              f"reg = {r!r}" if np.array_equal(Wc, W) else "another W",
                              "pass W and reg through unchanged: regularizer(W, reg)")

    def sums_once():
        rec, (loss, dW) = run_recorded()
        want = rec.data_value + rec.reg_value
        if not same_value(loss, want, 1e-12):
            cause = known_cause(loss, want, [
                (rec.data_value + 2 * rec.reg_value, "the regularization is counted twice: add R once"),
                (rec.data_value, "the regularization R is missing from the loss: return data_loss + R"),
                (rec.reg_value, "the data loss is missing: return data_loss + R"),
                (2 * rec.data_value + rec.reg_value, "the data loss is counted twice"),
            ], True)
            raise Failure(f"loss = data loss + R = {rec.data_value:g} + {rec.reg_value:g} = {want:g}", f"{loss:.6g}",
                          cause or "return data_loss + R, each counted once")
        want_dW = rec.data_grad + rec.reg_grad
        if not same_gradient(dW, want_dW, 1e-12):
            cause = known_cause(dW, want_dW, [
                (rec.data_grad + 2 * rec.reg_grad, "the regularization gradient is counted twice: add dR once"),
                (rec.data_grad, "the regularization gradient dR is missing from dW: return dW_data + dR"),
                (rec.reg_grad, "the data gradient is missing: dW = dW_data + dR"),
            ], False)
            raise Failure("dW = dW_data + dR", f"relative error {relative_error(dW, want_dW):.3g}",
                          cause or "return dW_data + dR, each counted once")

    def unmodified():
        require_unmodified(
            lambda Wc, Xc, yc: _call_rloss(fn, _data_loss(ref_losses.svm_loss), _regularizer(ref.l2), Wc, Xc, yc, reg,
                                           copy=False),
            {"W": W, "X": X, "y": y},
            "add the two parts into new values (loss = a + b), not in place into an input", each=True)

    yield ctx.run("passes (W, X, y) to data_loss_fn, without reg", calls_data_loss)
    yield ctx.run("passes (W, reg) to the regularizer it is given", calls_regularizer)
    yield ctx.run("returns data loss + R and dW_data + dR, each counted once (recorded callables)", sums_once)
    yield ctx.run("W, X and y are left unmodified", unmodified)


