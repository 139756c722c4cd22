"""Checks of `softmax(scores) -> (N, C)` probabilities."""

from __future__ import annotations

import numpy as np

from ..outcome import CheckContext, Failure
from ..reference.losses import softmax as ref_softmax
from .calls import as_array, require_callable
from .problems import fmt
from .properties import each_holds_for_all, scored_examples
from .registry import BasicCase, check
from .unmodified import require_unmodified

SHIFT = "subtract each row's maximum score before np.exp: softmax(s) = softmax(s - max(s))"


def _call(fn, scores) -> np.ndarray:
    require_callable(fn, "softmax")
    with np.errstate(all="ignore"):
        out = fn(scores.copy())
    return as_array(out, scores.shape, "the probabilities")


def _expect(fn, scores, what, cause=""):
    got = _call(fn, scores)
    expected = ref_softmax(scores)
    if not np.all(np.isfinite(got)):
        raise Failure(f"finite probabilities for {what}", fmt(got), cause or SHIFT)
    if not np.allclose(got, expected, rtol=1e-7, atol=1e-12):
        if np.allclose(got, ref_softmax(scores.T).T):
            cause = "the probabilities are normalized over the examples (axis 0); normalize each row (axis=1)"
        elif not np.allclose(got.sum(axis=1), 1):
            cause = cause or "normalize each row by its own sum: e / e.sum(axis=1, keepdims=True)"
        raise Failure(f"{fmt(expected)} for {what}", fmt(got), cause)


CAT = np.array([[3.2, 5.1, -1.7]])
BASIC = BasicCase("the lecture's cat scores [3.2, 5.1, -1.7] give [0.13, 0.87, 0.00]",
                  lambda fn, ctx: _expect(fn, CAT, "the cat scores"))


@check("softmax_probability_values", basic=BASIC)
def values(fn, ctx: CheckContext):
    rng = ctx.rng(11)
    yield ctx.run("random scores (N = 10, C = 4) match the reference",
                  lambda: _expect(fn, rng.standard_normal((10, 4)) * 3, "random scores"))
    yield ctx.run("equal scores give the uniform distribution 1/C",
                  lambda: _expect(fn, np.zeros((3, 5)), "all-zero scores"))


@check("softmax_probability_stability", basic=BASIC)
def stability(fn, ctx: CheckContext):
    rng = ctx.rng(12)
    base = rng.standard_normal((4, 5)) * 2
    yield ctx.run("scores + 1000 give the same, finite probabilities",
                  lambda: _expect(fn, base + 1000, "scores + 1000"))
    yield ctx.run("scores - 1000 give the same, finite probabilities",
                  lambda: _expect(fn, base - 1000, "scores - 1000"))
    # No case spreads one row's scores over thousands: a global max shift, correct in exact arithmetic,
    # underflows there (DESIGN.md principle 9).


@check("softmax_probability_properties", basic=BASIC)
def properties(fn, ctx: CheckContext):
    def distribution(args):
        scores = args["scores"]
        p = _call(fn, scores)
        if not (np.all(p >= 0) and np.allclose(p.sum(axis=1), 1.0)):
            raise Failure("non-negative rows that sum to 1", f"row sums {fmt(p.sum(axis=1))}",
                          "divide each row of exp(scores) by that row's sum")

    def shift(args):
        scores, c = args["scores"], args["shift"]
        p, q = _call(fn, scores), _call(fn, scores + c)
        if not np.allclose(p, q, rtol=1e-7, atol=1e-12):
            raise Failure(f"the same probabilities after adding {c:g} to every score", fmt(q), SHIFT)

    def order(args):
        scores = args["scores"]
        p = _call(fn, scores)
        bigger = scores[:, :, None] > scores[:, None, :]
        if np.any(bigger & (p[:, :, None] < p[:, None, :])):
            raise Failure("a higher score never gets a lower probability", fmt(p),
                          "softmax is monotone: exp of each score, divided by the row's sum")

    def unmodified(args):
        require_callable(fn, "softmax")

        def call(scores):
            with np.errstate(all="ignore"):
                fn(scores)

        require_unmodified(call, {"scores": args["scores"]},
                           "`scores -= scores.max(...)` changes the caller's array: use `scores - scores.max(...)`",
                           they=True)

    yield from each_holds_for_all(ctx, scored_examples(bound=50.0, shift=500.0), {
        "each row is a probability distribution": distribution,
        "adding a constant to every score changes nothing": shift,
        "a higher score never gets a lower probability": order,
        "scores are left unmodified": unmodified,
    })
