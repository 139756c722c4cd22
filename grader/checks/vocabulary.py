"""Checks of features.ipynb: build_vocabulary(patches, k, num_iters=10, seed=0) -> (k, P).

Helpers every feature check shares are in features.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..outcome import CheckContext, Failure
from ..reference import features as ref
from .calls import require_callable
from .features import feature_array, features_close, ignored_cause, known_or_ignored
from .mistakes import matching_mistake
from .problems import fmt
from .properties import each_holds_for_all, float_arrays
from .registry import BasicCase, check
from .unmodified import require_unmodified

KMEANS_RECIPE = ("start from patches[np.random.default_rng(seed).choice(M, size=k, replace=False)]; each "
                 "iteration assign every patch to its nearest word (squared Euclidean distance, np.argmin) and "
                 "move each word to the mean of its patches (a word without patches stays)")


def _vocab(fn, patches, k, **kwargs) -> np.ndarray:
    require_callable(fn, "build_vocabulary")
    out = fn(patches.copy(), k, **kwargs)
    return feature_array(out, (k, patches.shape[1]), "the vocabulary",
                         "one word (a patch-sized vector) per row: (k, P)")


def _lloyd_variant(patches, k, num_iters, seed, *, update="mean", assign="distance", init="random"):
    words = patches[:k].copy() if init == "first" else ref.initial_words(patches, k, seed)
    for _ in range(num_iters):
        if assign == "dot":
            a = np.argmax(patches @ words.T, axis=1)
        else:
            a = ref.nearest_word(patches, words)
        new = words.copy()
        for j in range(k):
            members = patches[a == j]
            if len(members):
                new[j] = members.sum(axis=0) if update == "sum" else members.mean(axis=0)
        words = new
    return words


def _vocab_cause(patches, k, num_iters, seed, got) -> str:
    if not np.all(np.isfinite(got)):
        return ("a word without patches became nan (the mean of nothing): leave such a word where it is, "
                "e.g. `if np.any(assign == j): words[j] = patches[assign == j].mean(axis=0)`")
    candidates = [
        (lambda: ref.initial_words(patches, k, seed), "the words never move: after assigning the patches, set each "
                                                      "word to the mean of its patches, num_iters times"),
        (lambda: _lloyd_variant(patches, k, num_iters, seed, update="sum"),
         "each word becomes the sum of its patches: the k-means update is their mean"),
        (lambda: _lloyd_variant(patches, k, num_iters, seed, assign="dot"),
         "patches go to the word with the largest dot product: the nearest word has the smallest squared distance"),
        (lambda: _lloyd_variant(patches, k, num_iters, seed, init="first"),
         "the words start from the first k patches: start from "
         "patches[np.random.default_rng(seed).choice(M, size=k, replace=False)]"),
        (lambda: ref.build_vocabulary(patches, k, num_iters - 1, seed) if num_iters > 0 else None,
         "one iteration too few: run num_iters assign-and-update steps"),
        (lambda: ref.build_vocabulary(patches, k, num_iters + 1, seed), "one iteration too many: run num_iters steps"),
    ]
    expected = ref.build_vocabulary(patches, k, num_iters, seed)
    return matching_mistake(got, expected, candidates, features_close) or KMEANS_RECIPE


def _blobs(rng, centers: int = 4, per: int = 30, dim: int = 6, spread: float = 10.0) -> np.ndarray:
    middle = rng.standard_normal((centers, dim)) * spread
    points = (middle[:, None, :] + rng.standard_normal((centers, per, dim))).reshape(-1, dim)
    return points[rng.permutation(len(points))]


def _expect_vocab(fn, patches, k, num_iters, seed, what) -> None:
    got = _vocab(fn, patches, k, num_iters=num_iters, seed=seed)
    expected = ref.build_vocabulary(patches, k, num_iters, seed)
    if not features_close(got, expected):
        raise Failure(f"{fmt(expected[:3])}... for {what}", f"{fmt(got[:3])}...",
                      _vocab_cause(patches, k, num_iters, seed, got))


# Two tight clusters of 3 patches around (4, 0) and (0, 4), interleaved; seed 0 starts from one patch of each.
_CLUSTER_OFFSETS = np.array([[0.1, 0.2], [0.2, -0.1], [-0.2, 0.1], [-0.1, 0.3], [0.1, -0.3], [0.3, 0.1]])
VOCAB_BASIC_PATCHES = np.array([[4.0, 0.0], [0.0, 4.0]] * 3) + _CLUSTER_OFFSETS
VOCAB_BASIC_ARGS = dict(num_iters=3, seed=0)


def _vocab_basic(fn, ctx: CheckContext) -> None:
    """k-means finds two obvious clusters: the words are their means, in either order. Slips that keep
    Lloyd's two steps (a dot product for the distance, the first k patches to start, no guard for an
    empty word, np.random without the seed) pass and lose points where their mistake shows; zeros, a
    constant, random words, the first k patches and k copies of the overall mean do not."""
    patches = VOCAB_BASIC_PATCHES
    got = _vocab(fn, patches, 2, **VOCAB_BASIC_ARGS)
    expected = ref.build_vocabulary(patches, 2, **VOCAB_BASIC_ARGS)
    if any(features_close(got, e) for e in (expected, expected[::-1])):
        return
    mean = patches.mean(axis=0)
    if features_close(got, np.tile(mean, (2, 1))):
        cause = ("both words are the mean of all the patches: assign every patch to its nearest word, then move "
                 "each word to the mean of its own patches")
    else:
        cause = known_or_ignored(_vocab_cause(patches, 2, VOCAB_BASIC_ARGS["num_iters"], VOCAB_BASIC_ARGS["seed"],
                                               got), KMEANS_RECIPE, ignored_cause(got, [(patches, "the patches")]))
    raise Failure(f"the means of the two clusters, {fmt(expected)} (either order), for 3 patches near (4, 0) "
                  "and 3 near (0, 4), k=2, num_iters=3, seed=0", fmt(got), cause)


VOCAB_BASIC = BasicCase("k = 2 on two clusters of 3 patches, near (4, 0) and (0, 4): the words are the clusters' "
                        "means", _vocab_basic)


@check("vocabulary_values", basic=VOCAB_BASIC)
def vocabulary_values(fn, ctx: CheckContext):
    rng = ctx.rng(331)
    blobs = _blobs(rng)
    small = rng.uniform(-1, 1, (40, 3))

    def shape():
        _vocab(fn, blobs, 4)

    def one_word():
        got = _vocab(fn, small, 1, num_iters=2, seed=3)
        mean = small.mean(axis=0, keepdims=True)
        if not features_close(got, mean):
            raise Failure(f"{fmt(mean)}: with k = 1 the word is the mean of all patches", fmt(got),
                          _vocab_cause(small, 1, 2, 3, got))

    def fixed_point():
        got = _vocab(fn, blobs, 4, num_iters=10, seed=1)
        assign = ref.nearest_word(blobs, got)
        for j in range(4):
            members = blobs[assign == j]
            if len(members) and not np.allclose(got[j], members.mean(axis=0), rtol=1e-6, atol=1e-6):
                raise Failure(f"word {j} = the mean of the {len(members)} patches nearest to it, "
                              f"{fmt(members.mean(axis=0))}", fmt(got[j]), _vocab_cause(blobs, 4, 10, 1, got))

    def start():
        _expect_vocab(fn, small, 5, 0, 11, "num_iters=0, seed=11 (the starting words)")

    def empty_word():
        # Three equal patches and one far away; a seed whose two starting words are both copies of the
        # equal patches: every patch is nearest to the first word, the second keeps its place.
        patches = np.array([[1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [8.0, 4.0]])
        seed = next(s for s in range(1000) if set(np.random.default_rng(s).choice(4, 2, replace=False)) <= {0, 1, 2})
        _expect_vocab(fn, patches, 2, 1, seed, f"patches [1, 1] x 3 and [8, 4], k=2, num_iters=1, seed={seed} "
                                              "(the second word gets no patch)")

    yield ctx.run("returns k words of the patches' length, shape (k, P)", shape)
    yield ctx.run("k = 1: the one word is the mean of all patches", one_word)
    yield ctx.run("after 10 iterations on 4 well-separated clusters each word is the mean of its patches", fixed_point)
    yield ctx.run("num_iters = 0 returns the starting words, the patches at "
                  "np.random.default_rng(seed).choice(M, size=k, replace=False)", start)
    yield ctx.run("a word that no patch is nearest to stays where it is", empty_word)
    yield ctx.run("the words match the reference k-means from the same start (k = 4, 3 iterations; k = 6, 10)",
                  lambda: (_expect_vocab(fn, blobs, 4, 3, 0, "k=4, num_iters=3, seed=0"),
                           _expect_vocab(fn, small, 6, 10, 7, "k=6, num_iters=10, seed=7")), weight=2)


@st.composite
def _vocabulary_problems(draw):
    m = draw(st.integers(2, 8))
    p = draw(st.integers(1, 3))
    # Patches drawn from a few distinct ones: equal starting words, and so words that no patch is
    # nearest to, are common.
    distinct = draw(float_arrays((draw(st.integers(1, 4)), p), 10.0))
    patches = distinct[draw(hnp.arrays(np.int64, m, elements=st.integers(0, len(distinct) - 1)))]
    return {"patches": patches, "k": draw(st.integers(1, m)), "num_iters": draw(st.integers(1, 4)),
            "seed": draw(st.integers(0, 1000))}


@check("vocabulary_properties", basic=VOCAB_BASIC)
def vocabulary_properties(fn, ctx: CheckContext):
    def inside(ex):
        patches, k = ex["patches"], ex["k"]
        got = _vocab(fn, patches, k, num_iters=ex["num_iters"], seed=ex["seed"])
        low, high = patches.min(axis=0) - 1e-9, patches.max(axis=0) + 1e-9
        if not (np.all(np.isfinite(got)) and np.all(got >= low) and np.all(got <= high)):
            raise Failure("finite words inside the box spanned by the patches (each is a patch or a mean of patches)",
                          fmt(got), _vocab_cause(patches, k, ex["num_iters"], ex["seed"], got))

    def deterministic(ex):
        patches, k = ex["patches"], ex["k"]
        a = _vocab(fn, patches, k, num_iters=ex["num_iters"], seed=ex["seed"])
        b = _vocab(fn, patches, k, num_iters=ex["num_iters"], seed=ex["seed"])
        if not np.array_equal(a, b, equal_nan=True):
            raise Failure("the same words for the same seed", f"{fmt(a)} then {fmt(b)}",
                          "draw the starting patches with np.random.default_rng(seed), not np.random")

    def unmodified(ex):
        require_callable(fn, "build_vocabulary")
        require_unmodified(lambda patches: fn(patches, ex["k"], num_iters=ex["num_iters"], seed=ex["seed"]),
                           {"patches": ex["patches"]},
                           "the starting words must be a copy: patches[idx] with fancy indexing copies, "
                           "a slice does not", they=True)

    yield from each_holds_for_all(ctx, _vocabulary_problems(), {
        "finite words inside the box spanned by the patches": inside,
        "the same seed gives the same words": deterministic,
        "patches are left unmodified": unmodified,
    })


