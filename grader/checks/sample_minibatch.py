"""Checks of optimization.ipynb: sample_minibatch(X, y, batch_size, rng=None) -> (X_batch, y_batch).

Helpers these checks share with the notebook's other checks are in optimization.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..outcome import CheckContext, Failure
from .calls import require_callable
from .optimization import IndexedData, basic_case, criterion_seed, global_seed, seeded
from .problems import brief
from .properties import each_holds_for_all
from .registry import check
from .unmodified import require_unmodified


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


def _aligned_both_ways(fn, ctx: CheckContext, data: IndexedData, batch_size: int, salt: int) -> None:
    """Rows and labels stay paired with a Generator as rng (seeded from `salt`) and with rng=None
    (np.random seeded from `salt` + 1)."""
    X_batch, y_batch = _call_sample(fn, data, batch_size, np.random.default_rng(criterion_seed(ctx, salt)))
    data.expect_aligned(X_batch, y_batch)
    with global_seed(criterion_seed(ctx, salt + 1), fn):
        X_batch, y_batch = _call_sample(fn, data, batch_size, None)
    data.expect_aligned(X_batch, y_batch)


@basic_case("two minibatches of 5 from N = 20 (two Generators as rng): rows of X, and different rows", 1002)
def SAMPLE_MINIBATCH_BASIC(fn, ctx: CheckContext) -> None:
    """Sampling: the rows come from X, and two draws differ. Fixed rows (the first batch_size), X echoed
    back, zeros or random numbers fail; misaligned labels or sampling without replacement pass here
    and lose points on the criteria."""
    require_callable(fn, "sample_minibatch")
    data = IndexedData.random(ctx.rng(4), 20, 3, 3)
    first = data.rows_of(_call_sample(fn, data, 5, np.random.default_rng(criterion_seed(ctx, 5)))[0])
    second = data.rows_of(_call_sample(fn, data, 5, np.random.default_rng(criterion_seed(ctx, 6)))[0])
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
        with global_seed(criterion_seed(ctx, 71), fn):
            _call_sample(fn, data, 10, None)
        _call_sample(fn, data, 7, np.random.default_rng(criterion_seed(ctx, 72)))
        _, y_batch = _call_sample(fn, data, 1, np.random.default_rng(criterion_seed(ctx, 73)))
        if not np.issubdtype(y_batch.dtype, np.integer):
            raise Failure("integer labels in y_batch", f"dtype {y_batch.dtype}", "y_batch = y[idx] keeps y's labels")

    def rows_of_X():
        require_callable(fn, "sample_minibatch")
        data = IndexedData.random(ctx.rng(74), 40, 3, 4)
        X_batch, _ = _call_sample(fn, data, 25, np.random.default_rng(criterion_seed(ctx, 75)))
        data.rows_of(X_batch)

    def aligned():
        require_callable(fn, "sample_minibatch")
        _aligned_both_ways(fn, ctx, IndexedData.random(ctx.rng(76), 60, 3, 5), 30, 77)

    def unmodified():
        require_callable(fn, "sample_minibatch")
        data = IndexedData.random(ctx.rng(79), 20, 3, 3)

        def call(X, y):
            X_batch, y_batch = fn(X, y, 8, np.random.default_rng(criterion_seed(ctx, 80)))   # unpacks, as a caller does

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
        seed = criterion_seed(ctx, 91)
        with global_seed(seed, fn):
            first, second = batch(None), batch(None)
        if np.array_equal(first, second):
            cause = ("the batch is always the first batch_size rows: draw random indices, "
                     "np.random.choice(N, batch_size)") if np.array_equal(first, np.arange(10)) else \
                "draw new random indices on every call"
            raise Failure("two calls give different minibatches", f"the same rows {first.tolist()} twice", cause)
        with global_seed(seed, fn):
            again = batch(None)
        if not np.array_equal(first, again):
            raise Failure("with rng=None, rows drawn from np.random (the same np.random.seed gives the same batch)",
                          "a batch that np.random.seed does not control",
                          "when rng is None draw with np.random.choice (the global generator)")

    def generator():
        require_callable(fn, "sample_minibatch")
        seed = criterion_seed(ctx, 92)
        with global_seed(seed + 1, fn):
            first = batch(np.random.default_rng(seed))
        with global_seed(seed + 2, fn):
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
        _aligned_both_ways(fn, ctx, IndexedData.random(ctx.rng(93), 6, 3, 3), 15, 94)

    yield ctx.run("rng=None: two calls differ, and np.random.seed makes a call reproducible", differ_global)
    yield ctx.run("a Generator as rng: the same seed gives the same minibatch", generator)
    yield ctx.run("batch_size larger than N works (sampling with replacement)", larger_than_n)


