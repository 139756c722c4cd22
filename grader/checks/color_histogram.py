"""Checks of features.ipynb: color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True) -> (nbin,).

Helpers every feature check shares are in features.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..outcome import CheckContext, Failure
from ..reference import features as ref
from .calls import require_callable
from .closeness import close
from .features import FEATURE_REL, crop, feature_array, features_close, ignored_cause, known_or_ignored
from .mistakes import matching_mistake
from .problems import fmt
from .properties import each_holds_for_all
from .registry import BasicCase, check
from .unmodified import require_unmodified

HUE_RECIPE = ("hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0] * xmax; "
              "np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1), density=normalized); "
              "return the density times np.diff(bin_edges)")


def _hist(fn, im, **kwargs) -> np.ndarray:
    require_callable(fn, "color_histogram_hsv")
    nbin = kwargs.get("nbin", 10)
    out = fn(im.copy(), **kwargs)
    return feature_array(out, (nbin,), "the histogram",
                  f"nbin bins need nbin + 1 edges: bins = np.linspace(xmin, xmax, nbin + 1) gives {nbin} counts")


def _hist_cause(im, got, nbin=10, xmin=0, xmax=255) -> str:
    bins = np.linspace(xmin, xmax, nbin + 1)
    h = ref.hue(im, xmax)
    counts = np.histogram(h, bins=bins)[0].astype(float)
    density = np.histogram(h, bins=bins, density=True)[0]
    hsv_value = np.asarray(im, dtype=float).max(axis=-1)
    candidates = [
        (lambda: counts, "the histogram is not normalized: with normalized=True pass density=True to np.histogram "
                         "and multiply by the bin widths, so the histogram sums to 1"),
        (lambda: counts * np.diff(bins), "the histogram is not normalized: pass density=normalized to np.histogram"),
        (lambda: density, "np.histogram(..., density=True) is a density (it integrates to 1): multiply it by "
                          "np.diff(bin_edges) so the histogram sums to 1"),
        (lambda: np.histogram(h / xmax, bins=bins, density=True)[0] * np.diff(bins),
         "the hue from rgb_to_hsv is in [0, 1]: multiply it by xmax before binning it in [xmin, xmax]"),
        (lambda: np.histogram(hsv_value, bins=bins, density=True)[0] * np.diff(bins),
         "that is a histogram of the value (brightness) channel: the hue is channel 0 of rgb_to_hsv"),
        (lambda: np.histogram(np.asarray(im, dtype=float)[..., 0], bins=bins, density=True)[0] * np.diff(bins),
         "that is a histogram of the red channel: convert to HSV first and take the hue, channel 0"),
        (lambda: np.histogram(h, bins=nbin, density=True)[0] * np.diff(np.histogram(h, bins=nbin)[1]),
         "bins=nbin spreads the bins between the smallest and largest hue of this image: "
         "use the fixed edges np.linspace(xmin, xmax, nbin + 1)"),
    ]
    pixels = float(np.prod(np.shape(im)[:-1]))

    def same(a, b) -> bool:
        # Equal but for at most one pixel's hue on the other side of a bin edge (two bins off by one
        # pixel's worth), whatever the candidate's scale: a per-bin tolerance of one pixel would call
        # almost anything a match on a small image.
        scale = float(np.abs(b).sum())
        return bool(np.all(np.isfinite(a))) and float(np.abs(a - b).sum()) <= (2.02 / pixels + 1e-6) * scale + 1e-12

    expected = ref.color_histogram_hsv(im, nbin=nbin, xmin=xmin, xmax=xmax)
    return matching_mistake(got, expected, candidates, same) or HUE_RECIPE


def _expect_hist(fn, im, what, **kwargs) -> None:
    got = _hist(fn, im, **kwargs)
    expected = ref.color_histogram_hsv(im, **kwargs)
    # One pixel's worth per bin: a hue that lands exactly on a bin edge may round either way.
    atol = 1.01 / np.prod(im.shape[:-1])
    if not close(got, expected, 1e-6, atol):
        keys = {k: v for k, v in kwargs.items() if k in ("nbin", "xmin", "xmax")}
        raise Failure(f"{fmt(expected)} for {what}", fmt(got), _hist_cause(im, got, **keys))


# Two 2 x 2 images of a dark red (200, 0, 0), a green (0, 100, 0) and a dark blue (0, 0, 50): hues 0, 85
# and 170, far from every bin edge, and values 200, 100 and 50.
_RED, _GREEN, _BLUE = [200.0, 0.0, 0.0], [0.0, 100.0, 0.0], [0.0, 0.0, 50.0]
HIST_BASIC_IMAGES = (("3 red pixels and 1 green", np.array([[_RED, _RED], [_RED, _GREEN]]), 2),
                     ("1 red, 2 green and 1 blue pixel", np.array([[_RED, _GREEN], [_GREEN, _BLUE]]), 3))


def _hist_basic(fn, ctx: CheckContext) -> None:
    """A histogram of something of each pixel: the same image twice gives the same histogram, two images
    of different colours give different ones, each with weight in at most as many bins as the image
    has colours. Lenient on purpose: counts, a density, the value channel or bins=nbin all pass and
    lose points where their mistake shows; zeros, a constant or uniform histogram, random numbers and
    a hue that always lands in the first bin (never multiplied by xmax) do not."""
    (name_a, im_a, colours_a), (name_b, im_b, colours_b) = HIST_BASIC_IMAGES
    refs = {name: ref.color_histogram_hsv(im) for name, im, _ in HIST_BASIC_IMAGES}
    shown = f"(the reference gives {fmt(refs[name_a])} for {name_a} and {fmt(refs[name_b])} for {name_b})"
    a, b = _hist(fn, im_a), _hist(fn, im_b)
    again = _hist(fn, im_b)
    if not np.array_equal(b, again):
        raise Failure(f"the same histogram when called twice on the same image ({name_b})",
                      f"{fmt(b)}, then {fmt(again)}",
                      "the result changes from call to call: it must come from the pixels' hues, not from "
                      "random numbers")
    for name, im, colours, got in ((name_a, im_a, colours_a, a), (name_b, im_b, colours_b, b)):
        if not (np.all(np.isfinite(got)) and np.all(got >= 0)):
            raise Failure(f"finite, non-negative counts for a 2 x 2 image of {name} {shown}", fmt(got),
                          known_or_ignored(_hist_cause(im, got), HUE_RECIPE, ignored_cause(got)))
        used = int(np.count_nonzero(got))
        if not 1 <= used <= colours:
            raise Failure(f"weight in 1 to {colours} bins for a 2 x 2 image of {name}, one bin per colour at most "
                          f"{shown}", f"{fmt(got)} ({used} non-zero bins)",
                          known_or_ignored(_hist_cause(im, got), HUE_RECIPE,
                                            ignored_cause(got, [(im, "the image")]) or
                                            ("the same weight in every bin: count the pixels whose hue falls "
                                             "in each bin" if np.all(got == got[0]) else "")))
    if np.allclose(a, b, rtol=1e-9, atol=1e-12):
        first_bin = bool(np.all(a[1:] == 0))
        cause = ("every pixel lands in the first bin, whatever its colour: the hue from rgb_to_hsv is in [0, 1]; "
                 "multiply it by xmax before binning it in [xmin, xmax]" if first_bin and
                 features_close(a, _hist_variant_unscaled(im_a)) else
                 "the histogram does not depend on the image: bin the hue of every pixel, " + HUE_RECIPE)
        raise Failure(f"different histograms for 2 x 2 images of {name_a} and of {name_b} {shown}",
                      f"{fmt(a)} for both", cause)


def _hist_variant_unscaled(im, nbin=10, xmin=0, xmax=255) -> np.ndarray:
    """The histogram of the hue left in [0, 1] (never multiplied by xmax)."""
    bins = np.linspace(xmin, xmax, nbin + 1)
    return np.histogram(ref.hue(im, xmax) / xmax, bins=bins)[0] / np.prod(np.shape(im)[:-1])


HIST_BASIC = BasicCase("two 2 x 2 images of different colours give different histograms, each with weight in at "
                       "most one bin per colour, the same when computed twice", _hist_basic)


@check("color_histogram_values", basic=HIST_BASIC)
def color_histogram_values(fn, ctx: CheckContext):
    rng = ctx.rng(311)
    # Photograph crops plus noise below half a gray level: integer pixels can put a hue exactly on a bin
    # edge (e.g. 0.2 * 255 = 51), where matplotlib's and colorsys' formulas round differently.
    china = np.clip(crop("china.jpg", 40, 60, 16, 16) + rng.uniform(0, 0.5, (16, 16, 3)), 0, 255)
    flower = np.clip(crop("flower.jpg", 30, 70, 16, 24) + rng.uniform(0, 0.5, (16, 24, 3)), 0, 255)
    unit = rng.uniform(0, 1, (8, 8, 3))
    gray = np.repeat(rng.integers(0, 256, (6, 7, 1)).astype(np.float64), 3, axis=2)

    def sums_to_one():
        got = _hist(fn, china)
        if not (np.all(got >= 0) and abs(got.sum() - 1) < 1e-6):
            raise Failure("non-negative entries that sum to 1 (the fraction of pixels in each bin)",
                          f"{fmt(got)} (sum {got.sum():.4g})", _hist_cause(china, got))

    def gray_image():
        got = _hist(fn, gray)
        expected = np.eye(10)[0]
        if not close(got, expected, FEATURE_REL, 1e-9):
            raise Failure(f"{fmt(expected)}: a gray pixel (R = G = B) has hue 0", fmt(got), _hist_cause(gray, got))

    def other_arguments():
        _expect_hist(fn, unit, "an 8 x 8 image in [0, 1] with nbin=6, xmax=1.0", nbin=6, xmax=1.0)
        _expect_hist(fn, flower, "a crop of flower.jpg with nbin=20", nbin=20)

    yield ctx.run("returns nbin = 10 values for a 16 x 16 crop of china.jpg, summing to 1", sums_to_one)
    yield ctx.run("the hue histogram of a 16 x 16 crop of china.jpg matches the reference",
                  lambda: _expect_hist(fn, china, "the china.jpg crop"), weight=2)
    yield ctx.run("the hue histogram of a 16 x 24 crop of flower.jpg matches the reference",
                  lambda: _expect_hist(fn, flower, "the flower.jpg crop"))
    yield ctx.run("nbin and xmax are used: nbin=6 with xmax=1.0, and nbin=20", other_arguments)
    yield ctx.run("a gray image (R = G = B) puts every pixel in the first bin", gray_image)


@st.composite
def _rgb_images(draw, max_side: int = 5):
    h, w = draw(st.integers(1, max_side)), draw(st.integers(1, max_side))
    im = draw(hnp.arrays(np.int64, (h, w, 3), elements=st.integers(0, 255))).astype(np.float64)
    return {"im": im, "seed": draw(st.integers(0, 2 ** 16))}


@check("color_histogram_properties", basic=HIST_BASIC)
def color_histogram_properties(fn, ctx: CheckContext):
    def normalized(ex):
        got = _hist(fn, ex["im"])
        if not (np.all(got >= 0) and abs(got.sum() - 1) < 1e-6):
            raise Failure("10 non-negative values summing to 1", f"{fmt(got)} (sum {got.sum():.4g})",
                          _hist_cause(ex["im"], got))

    def shuffled(ex):
        im = ex["im"]
        h, w, _ = im.shape
        order = np.random.default_rng(ex["seed"]).permutation(h * w)
        mixed = im.reshape(-1, 3)[order].reshape(h, w, 3)
        a, b = _hist(fn, im), _hist(fn, mixed)
        if not np.allclose(a, b, rtol=1e-9, atol=1e-12):
            raise Failure("the same histogram after shuffling the pixels", f"{fmt(a)} became {fmt(b)}",
                          "a histogram counts hues and forgets where the pixels are: bin every pixel's hue")

    def units(ex):
        im = ex["im"]
        a, b = _hist(fn, im), _hist(fn, im * 2, xmax=510)
        if not np.allclose(a, b, rtol=1e-9, atol=1e-12):
            raise Failure("the same histogram for the image times 2 with xmax=510", f"{fmt(a)} became {fmt(b)}",
                          "use xmax (not a fixed 255): divide by xmax before rgb_to_hsv and bin in [xmin, xmax]")

    def unmodified(ex):
        im = ex["im"]

        def divided(after) -> bool:
            return np.allclose(after["the image"], im / 255, rtol=1e-12, atol=1e-12)

        require_callable(fn, "color_histogram_hsv")
        require_unmodified(fn, {"the image": im},
                           lambda after: "`im /= xmax` changes the caller's image: use `im / xmax`" if divided(after)
                           else "compute into new arrays: an in-place operation on `im` changes the caller's image",
                           got=lambda after: "the image changed by the call" +
                           (" (divided by xmax)" if divided(after) else ""))

    yield from each_holds_for_all(ctx, _rgb_images(), {
        "10 non-negative values that sum to 1": normalized,
        "shuffling the pixels changes nothing": shuffled,
        "doubling the image and xmax together changes nothing": units,
        "the image is left unmodified": unmodified,
    })


