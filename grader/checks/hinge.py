"""Checks of `multiclass_hinge_loss(scores, y) -> (N,)`, the per-example multiclass SVM loss."""

from __future__ import annotations

import numpy as np

from ..outcome import CheckContext, Failure
from ..reference.losses import hinge_losses
from .calls import as_array, require_callable
from .problems import LECTURE_HINGE_LOSSES, LECTURE_LABELS, LECTURE_SCORES, brief, fmt
from .properties import each_holds_for_all, scored_examples
from .registry import BasicCase, check
from .unmodified import require_unmodified


def _call(fn, scores, y) -> np.ndarray:
    require_callable(fn, "multiclass_hinge_loss")
    out = fn(scores.copy(), y.copy())
    if np.ndim(out) == 0:
        raise Failure(f"per-example losses of shape ({len(y)},)", f"one number {brief(out, 40)}",
                      "return the vector of losses L_i, one per example; the mean comes later")
    return as_array(out, (len(y),), "the per-example losses")


def _cause(scores, y, got) -> str:
    expected = hinge_losses(scores, y)
    n = len(y)
    margins = scores - scores[np.arange(n), y][:, None]
    is_true = np.arange(scores.shape[1]) == y[:, None]
    if np.allclose(got, expected + 1):
        return "each example adds 1: the sum over classes must skip j = y_i"
    if np.allclose(got, np.where(is_true, 0, np.maximum(0, margins)).sum(1)):
        return "the margin delta is missing: max(0, s_j - s_yi + 1)"
    if np.allclose(got, np.where(is_true, 0, margins + 1).sum(1)):
        return "the max(0, .) is missing: a satisfied margin costs nothing"
    return "L_i = sum over j != y_i of max(0, s_j - s_yi + 1)"


def _expect_values(fn, scores, y, what):
    got = _call(fn, scores, y)
    expected = hinge_losses(scores, y)
    if not np.allclose(got, expected, rtol=1e-7, atol=1e-9):
        raise Failure(f"{fmt(expected)} for {what}", fmt(got), _cause(scores, y, got))


def _lecture_values(fn, ctx: CheckContext):
    got = _call(fn, LECTURE_SCORES, LECTURE_LABELS)
    if not np.allclose(got, LECTURE_HINGE_LOSSES, atol=1e-9):
        raise Failure(f"{fmt(LECTURE_HINGE_LOSSES)} (cat, car, frog)", fmt(got),
                      _cause(LECTURE_SCORES, LECTURE_LABELS, got))


LECTURE = BasicCase("the lecture's cat/car/frog losses 2.9, 0, 12.9 (mean 5.27)", _lecture_values)


@check("hinge_lecture_example", basic=LECTURE)
def lecture_example(fn, ctx: CheckContext):
    yield ctx.run("returns one loss per example, shape (3,)", lambda: _call(fn, LECTURE_SCORES, LECTURE_LABELS))
    yield ctx.run(LECTURE.checked, lambda: _lecture_values(fn, ctx), weight=2)


@check("hinge_values", basic=LECTURE)
def values(fn, ctx: CheckContext):
    rng = ctx.rng(1)
    cases = [("random scores, N = 20, C = 5", rng.standard_normal((20, 5)) * 2, rng.integers(0, 5, 20)),
             ("a single example", np.array([[0.5, 1.0, -2.0, 0.4]]), np.array([3])),
             ("two classes", rng.standard_normal((6, 2)), rng.integers(0, 2, 6)),
             ("tied scores (all zero: every wrong class costs 1)", np.zeros((4, 10)), np.array([0, 3, 9, 3]))]
    for what, scores, y in cases:
        yield ctx.run(f"per-example losses match the reference: {what}",
                      lambda s=scores, y=y, w=what: _expect_values(fn, s, y, w))


@check("hinge_properties", basic=LECTURE)
def properties(fn, ctx: CheckContext):
    def nonnegative(args):
        scores, y = args["scores"], args["y"]
        got = _call(fn, scores, y)
        if np.any(got < 0):
            raise Failure("every L_i >= 0", fmt(got), "a satisfied margin costs 0: max(0, .)")

    def satisfied_margins(args):
        scores, y = args["scores"], args["y"]
        n = len(y)
        others = scores.copy()
        others[np.arange(n), y] = -np.inf
        scores = scores.copy()
        scores[np.arange(n), y] = others.max(axis=1) + 1.0
        got = _call(fn, scores, y)
        if not np.allclose(got, 0, atol=1e-9):
            raise Failure("L_i = 0 when the true class beats every other by >= 1", fmt(got), _cause(scores, y, got))

    def row_shift(args):
        scores, y, shift = args["scores"], args["y"], args["shift"]
        got = _call(fn, scores, y)
        shifted = _call(fn, scores + shift, y)
        if not np.allclose(got, shifted, rtol=1e-7, atol=1e-7):
            raise Failure(f"the same losses after adding {shift:g} to every score", fmt(shifted),
                          "the hinge depends only on differences of scores s_j - s_yi")

    def unmodified(args):
        require_callable(fn, "multiclass_hinge_loss")
        require_unmodified(fn, {"scores": args["scores"], "y": args["y"]},
                           "work on a copy instead of changing scores in place")

    yield from each_holds_for_all(ctx, scored_examples(), {
        "every per-example loss is >= 0": nonnegative,
        "zero loss when every true class wins by a margin >= 1": satisfied_margins,
        "adding a constant to every score changes nothing": row_shift,
        "scores and y are left unmodified": unmodified,
    })
