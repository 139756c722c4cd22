"""Checks of optimization.ipynb: random_search(loss_fn, dim, num_classes, num_tries, rng=None) -> (best W, best loss).

Helpers these checks share with the notebook's other checks are in optimization.py.
"""

from __future__ import annotations

import numpy as np

from ..numerics import values_close
from ..outcome import CheckContext, Failure
from .calls import as_array, as_scalar, require_callable
from .optimization import Bowl, basic_case, criterion_seed, global_seed, seeded
from .problems import brief
from .registry import check


def _tries_cause(bowl: Bowl, num_tries: int) -> str:
    if bowl.distinct() == num_tries + 1:
        return "one W more than the tries was evaluated: best_W must be one of the num_tries random W"
    return "evaluate the loss of every random W once: a loop over num_tries, a new W in each try"


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
    W, _ = _call_random_search(fn, bowl, dim, num_classes, num_tries, np.random.default_rng(criterion_seed(ctx, 2)))
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
                                          np.random.default_rng(criterion_seed(ctx, salt + 1)))
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
        _call_random_search(fn, bowl, dim, num_classes, 5, np.random.default_rng(criterion_seed(ctx, 11)))
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
        calls, _ = tried(np.random.default_rng(criterion_seed(ctx, 41)), num_tries=8)
        different = len({w.tobytes() for w in calls})
        if different != 8:
            raise Failure("a new random W for every try", f"{different} different W in 8 tries",
                          "draw W inside the loop, once per try")

    def generator_used():
        require_callable(fn, "random_search")
        seed = criterion_seed(ctx, 42)
        with global_seed(seed + 1, fn):
            first, W1 = tried(np.random.default_rng(seed))
        with global_seed(seed + 2, fn):
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
        seed = criterion_seed(ctx, 43)
        with global_seed(seed, fn):
            first, _ = tried(None)
        with global_seed(seed, fn):
            again, _ = tried(None)
        with global_seed(seed + 1, fn):
            other, _ = tried(None)
        same = lambda a, b: len(a) == len(b) and all(np.array_equal(u, v) for u, v in zip(a, b))  # noqa: E731
        if not same(first, again) or same(first, other):
            raise Failure("with rng=None, W drawn from np.random (the same np.random.seed gives the same tries)",
                          "tries that np.random.seed does not control",
                          "when rng is None draw with np.random.randn(dim, num_classes) (the global generator)")

    yield ctx.run("every try draws a new random W", new_w_each_try)
    yield ctx.run("the W come from the Generator passed as rng (same seed, same tries)", generator_used)
    yield ctx.run("rng=None draws from np.random (np.random.seed makes it reproducible)", global_when_none)


