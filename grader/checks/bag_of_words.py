"""Checks of features.ipynb: bow_histogram(patches, vocabulary) -> (k,).

Helpers every feature check shares are in features.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..outcome import CheckContext, Failure
from ..reference import features as ref
from .calls import require_callable
from .features import feature_array, features_close, ignored_cause, known_or_ignored
from .mistakes import matching_mistake
from .problems import fmt
from .properties import each_holds_for_all, float_arrays
from .registry import BasicCase, check
from .unmodified import require_unmodified

BOW_RECIPE = ("squared distances between every patch and every word, np.argmin over the words, then the "
              "fraction of patches that chose each word: np.bincount(nearest, minlength=k) / M")


def _bow(fn, patches, vocabulary) -> np.ndarray:
    require_callable(fn, "bow_histogram")
    out = fn(patches.copy(), vocabulary.copy())
    return feature_array(out, (len(vocabulary),), "the histogram", "one entry per visual word: shape (k,)")


def _bow_cause(patches, vocabulary, got) -> str:
    k, m = len(vocabulary), len(patches)
    d = ref.squared_distances(patches, vocabulary)
    candidates = [
        (lambda: np.bincount(d.argmin(axis=1), minlength=k).astype(float),
         "the histogram holds counts: divide by the number of patches so it sums to 1"),
        (lambda: np.bincount((patches @ vocabulary.T).argmax(axis=1), minlength=k) / m,
         "the nearest word is chosen by the largest dot product: take the smallest squared Euclidean distance"),
        (lambda: np.bincount(d.argmax(axis=1), minlength=k) / m,
         "each patch goes to its farthest word: np.argmin of the distances, not np.argmax"),
        (lambda: np.bincount(d.argmin(axis=1), minlength=k) / k,
         "the counts are divided by the number of words: divide by the number of patches"),
    ]
    return matching_mistake(got, ref.bow_histogram(patches, vocabulary), candidates, features_close) or BOW_RECIPE


def _expect_bow(fn, patches, vocabulary, what) -> None:
    got = _bow(fn, patches, vocabulary)
    expected = ref.bow_histogram(patches, vocabulary)
    if not features_close(got, expected):
        raise Failure(f"{fmt(expected)} for {what}", fmt(got), _bow_cause(patches, vocabulary, got))


# Three words of length 1 (at 0, 120 and 240 degrees) and 6 patches near them: 1, 3 and 2 per word.
_ANGLES = np.radians([0.0, 120.0, 240.0])
BOW_BASIC_WORDS = np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], axis=1)
BOW_BASIC_PATCHES = BOW_BASIC_WORDS[[1, 0, 2, 1, 1, 2]] * 1.1 + np.array(
    [[0.05, 0.0], [0.0, 0.05], [-0.05, 0.0], [0.0, -0.05], [0.03, 0.03], [-0.03, 0.03]])


def _bow_basic(fn, ctx: CheckContext) -> None:
    """The histogram follows the patches' nearest words: proportional to the counts 1, 3, 2. Lenient on
    purpose: counts, division by k and a dot product (the words have equal lengths here) pass and lose
    points where their mistake shows; zeros, a constant or uniform histogram and random fractions do not."""
    patches, words = BOW_BASIC_PATCHES, BOW_BASIC_WORDS
    got = _bow(fn, patches, words)
    expected = ref.bow_histogram(patches, words)
    total = float(np.sum(got)) if np.all(np.isfinite(got)) else float("nan")
    if total > 0 and features_close(got, total * expected):
        return
    ignored = ignored_cause(got, [(patches, "the patches"), (words, "the vocabulary")])
    if not ignored and np.all(got == got[0]):
        ignored = "every word got the same share: count, for each word, the patches whose nearest word it is"
    raise Failure(f"{fmt(expected)} (or any multiple of it: 1, 3 and 2 of the 6 patches nearest to each word) for "
                  "6 patches near three words of length 1", fmt(got),
                  known_or_ignored(_bow_cause(patches, words, got), BOW_RECIPE, ignored))


BOW_BASIC = BasicCase("6 patches near three words: the histogram follows the counts of nearest words, 1, 3 and 2",
                      _bow_basic)


@check("bow_values", basic=BOW_BASIC)
def bow_values(fn, ctx: CheckContext):
    rng = ctx.rng(341)
    line = np.array([[0.1], [0.2], [0.9], [1.1], [5.0]])
    line_words = np.array([[0.0], [1.0], [4.0]])
    near = np.array([[1.0, 0.0], [0.9, 0.1], [1.2, -0.1]])
    near_words = np.array([[1.0, 0.0], [10.0, 0.0], [0.0, 5.0]])

    yield ctx.run("returns one value per word, shape (k,)", lambda: _bow(fn, line, line_words))
    yield ctx.run("1-D patches [0.1, 0.2, 0.9, 1.1, 5.0] and words [0, 1, 4] give [0.4, 0.4, 0.2]",
                  lambda: _expect_bow(fn, line, line_words, "the 1-D example"))
    yield ctx.run("the nearest word is the closest one, whatever the words' lengths",
                  lambda: _expect_bow(fn, near, near_words, "patches near (1, 0) with words (1, 0), (10, 0), (0, 5)"))
    yield ctx.run("random patches (M = 60, P = 16) and k = 5 words match the reference",
                  lambda: _expect_bow(fn, rng.standard_normal((60, 16)), rng.standard_normal((5, 16)),
                                      "random patches"), weight=2)


@st.composite
def _bow_problems(draw):
    p = draw(st.integers(1, 3))
    patches = draw(float_arrays((draw(st.integers(1, 8)), p), 10.0))
    vocabulary = draw(float_arrays((draw(st.integers(1, 4)), p), 10.0))
    return {"patches": patches, "vocabulary": vocabulary, "seed": draw(st.integers(0, 2 ** 16))}


def _has_ties(patches, vocabulary) -> bool:
    d = np.sort(ref.squared_distances(patches, vocabulary), axis=1)
    return d.shape[1] > 1 and bool(np.any(d[:, 1] - d[:, 0] <= 1e-7 * (1 + np.abs(d[:, 0]))))


@check("bow_properties", basic=BOW_BASIC)
def bow_properties(fn, ctx: CheckContext):
    def distribution(ex):
        got = _bow(fn, ex["patches"], ex["vocabulary"])
        m = len(ex["patches"])
        if not (np.all(got >= 0) and abs(got.sum() - 1) < 1e-9 and np.allclose(got * m, np.round(got * m))):
            raise Failure(f"fractions of the {m} patches that sum to 1", f"{fmt(got)} (sum {got.sum():.4g})",
                          _bow_cause(ex["patches"], ex["vocabulary"], got))

    def patch_order(ex):
        patches, vocabulary = ex["patches"], ex["vocabulary"]
        order = np.random.default_rng(ex["seed"]).permutation(len(patches))
        a, b = _bow(fn, patches, vocabulary), _bow(fn, patches[order], vocabulary)
        if not np.allclose(a, b, atol=1e-12):
            raise Failure("the same histogram for the patches in another order", f"{fmt(a)} became {fmt(b)}",
                          "a bag of words forgets where each patch came from: count each patch's nearest word")

    def twice(ex):
        patches, vocabulary = ex["patches"], ex["vocabulary"]
        a, b = _bow(fn, patches, vocabulary), _bow(fn, np.vstack([patches, patches]), vocabulary)
        if not np.allclose(a, b, atol=1e-12):
            raise Failure("the same histogram when every patch appears twice", f"{fmt(a)} became {fmt(b)}",
                          _bow_cause(patches, vocabulary, a) or "divide the counts by the number of patches")

    def word_order(ex):
        patches, vocabulary = ex["patches"], ex["vocabulary"]
        if _has_ties(patches, vocabulary):     # a patch equally near two words may pick either
            return
        order = np.random.default_rng(ex["seed"]).permutation(len(vocabulary))
        a, b = _bow(fn, patches, vocabulary), _bow(fn, patches, vocabulary[order])
        if not np.allclose(a[order], b, atol=1e-12):
            raise Failure(f"the histogram reordered the same way as the words ({fmt(a[order])})", fmt(b),
                          _bow_cause(patches, vocabulary, a))

    def unmodified(ex):
        require_callable(fn, "bow_histogram")
        require_unmodified(fn, {"patches": ex["patches"], "vocabulary": ex["vocabulary"]},
                           "compute the distances into a new array")

    yield from each_holds_for_all(ctx, _bow_problems(), {
        "fractions of the patches that sum to 1": distribution,
        "reordering the patches changes nothing": patch_order,
        "every patch twice changes nothing": twice,
        "reordering the words reorders the histogram": word_order,
        "patches and vocabulary are left unmodified": unmodified,
    })


