"""Checks of features.ipynb: extract_features(imgs, feature_fns) -> (N, F_1 + ... + F_k).

Helpers every feature check shares are in features.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..outcome import CheckContext, Failure
from .calls import require_callable
from .features import feature_array, features_close, ignored_cause, known_or_ignored
from .mistakes import matching_mistake
from .problems import fmt
from .properties import each_holds_for_all, finite_floats
from .registry import BasicCase, check
from .unmodified import require_unmodified

STACK_RECIPE = ("row i is np.hstack([f(imgs[i]) for f in feature_fns]): one row per image, the features of "
                "the functions side by side in the order of feature_fns")


def _channel_means(im):
    return np.asarray(im, dtype=np.float64).reshape(-1, im.shape[-1] if im.ndim == 3 else 1).mean(axis=0)


def _corner(im):
    return np.asarray(im, dtype=np.float64)[:2, :2].ravel()


def _brightest(im):
    return np.array([np.max(im)], dtype=np.float64)


def _expected_stack(imgs, fns) -> np.ndarray:
    return np.array([np.concatenate([f(im) for f in fns]) for im in imgs])


def _stack(fn, imgs, fns) -> np.ndarray:
    require_callable(fn, "extract_features")
    expected = _expected_stack(imgs, fns)
    try:
        out = fn(imgs.copy(), list(fns))
    except ValueError as exc:
        if "concatenat" not in str(exc) and "dimension" not in str(exc):
            raise
        raise Failure("the call to return normally", f"ValueError: {str(exc)[:120]}",
                      "the functions' features have different lengths F_i: put each image's features side by "
                      "side (np.hstack) into one row, and stack the N rows") from None
    cause = STACK_RECIPE
    if out is not None and np.ndim(out) == 2 and np.shape(out) == expected.shape[::-1]:
        cause = "the result is transposed: one row per image, (N, F_total)"
    elif out is not None and np.ndim(out) == 2 and np.shape(out)[0] != len(imgs):
        cause = "the features are stacked vertically: stack each image's features horizontally (np.hstack) into one row"
    return feature_array(out, expected.shape, "the feature matrix", cause)


def _stack_cause(imgs, fns, got) -> str:
    candidates = [
        (lambda: _expected_stack(imgs, fns[::-1]), "the functions' features are in reverse order: keep the order "
                                                   "of feature_fns"),
        (lambda: np.repeat(_expected_stack(imgs[:1], fns), len(imgs), axis=0),
         "every row holds the first image's features: compute the features of imgs[i] for row i"),
    ]
    return matching_mistake(got, _expected_stack(imgs, fns), candidates, features_close) or STACK_RECIPE


def _expect_stack(fn, imgs, fns, what) -> None:
    got = _stack(fn, imgs, fns)
    expected = _expected_stack(imgs, fns)
    if not features_close(got, expected):
        raise Failure(f"{fmt(expected)} for {what}", fmt(got), _stack_cause(imgs, fns, got))


EXTRACT_BASIC_IMAGES = np.arange(2 * 2 * 3 * 3, dtype=np.float64).reshape(2, 2, 3, 3) * 7.0 % 255


def _extract_basic(fn, ctx: CheckContext) -> None:
    """One feature function, two images: the rows are the images' features. Order and stacking slips with
    several functions pass (they show only there); zeros, a constant, random numbers and the pixels do not."""
    imgs, fns = EXTRACT_BASIC_IMAGES, [_channel_means]
    got = _stack(fn, imgs, fns)
    expected = _expected_stack(imgs, fns)
    if features_close(got, expected):
        return
    cause = known_or_ignored(_stack_cause(imgs, fns, got), STACK_RECIPE,
                              ignored_cause(got, [(imgs.reshape(len(imgs), -1), "the images' pixels")]))
    raise Failure(f"{fmt(expected)}: row i is the channel means of image i, for 2 images and feature_fns = "
                  "[channel means]", fmt(got), cause)


EXTRACT_BASIC = BasicCase("two images and one feature function (the channel means): row i is the features of "
                          "image i", _extract_basic)


@check("extract_features_values", basic=EXTRACT_BASIC)
def extract_features_values(fn, ctx: CheckContext):
    rng = ctx.rng(351)
    color = rng.uniform(0, 255, (5, 4, 6, 3)).round(1)
    gray = rng.uniform(0, 255, (3, 5, 4)).round(1)
    three = [_channel_means, _corner, _brightest]

    yield ctx.run("returns (N, F_total) = (5, 3 + 12 + 1) for 5 images and 3 feature functions",
                  lambda: _stack(fn, color, three))
    yield ctx.run("row i holds the features of image i, the functions' features side by side in their order",
                  lambda: _expect_stack(fn, color, three, "channel means, 2 x 2 corner, brightest pixel"), weight=2)
    yield ctx.run("the order of feature_fns sets the order of the columns",
                  lambda: _expect_stack(fn, color, [_brightest, _channel_means], "[brightest pixel, channel means]"))
    yield ctx.run("one function and one image (N = 1)", lambda: _expect_stack(fn, color[:1], [_corner], "one image"))
    yield ctx.run("grayscale images (N, H, W)", lambda: _expect_stack(fn, gray, [_corner, _brightest], "3 gray images"))


@st.composite
def _image_batches(draw):
    n, h, w = draw(st.integers(1, 4)), draw(st.integers(2, 4)), draw(st.integers(2, 4))
    imgs = draw(hnp.arrays(np.float64, (n, h, w, 3), elements=finite_floats(255.0)))
    return {"imgs": imgs, "seed": draw(st.integers(0, 2 ** 16))}


@check("extract_features_properties", basic=EXTRACT_BASIC)
def extract_features_properties(fn, ctx: CheckContext):
    fns = [_channel_means, _corner]

    def matches(ex):
        _expect_stack(fn, ex["imgs"], fns, "these images")

    def image_order(ex):
        imgs = ex["imgs"]
        order = np.random.default_rng(ex["seed"]).permutation(len(imgs))
        a, b = _stack(fn, imgs, fns), _stack(fn, imgs[order], fns)
        if not np.allclose(a[order], b):
            raise Failure("the rows reordered like the images", fmt(b), _stack_cause(imgs, fns, a))

    def unmodified(ex):
        require_callable(fn, "extract_features")
        require_unmodified(lambda imgs: fn(imgs, list(fns)), {"imgs": ex["imgs"]}, "do not write into imgs", they=True)

    yield from each_holds_for_all(ctx, _image_batches(), {
        "one row per image: the features of the functions side by side": matches,
        "reordering the images reorders the rows": image_order,
        "imgs is left unmodified": unmodified,
    })


