"""Checks of features.ipynb (see course.yaml for the cells that use them): polar coordinates, the hue
histogram, HoG, the bag of visual words, stacking features, and the feature experiment.

Each check calls only the function it grades. Data, other features and the classifier come from
grader/reference/features.py, so one mistake costs points once.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..course import Param
from ..outcome import CheckContext, Failure
from ..reference import features as ref
from .arrays import returned_array
from .calls import require_callable
from .closeness import close
from .mistakes import matching_mistake
from .problems import brief, fmt
from .properties import each_holds_for_all, finite_floats, float_arrays
from .registry import BasicCase, check
from .unmodified import require_unmodified

# -- calling the student's function and validating what comes back ------------------------------------


def _array(value, shape: tuple[int, ...], what: str, shape_cause: str = "") -> np.ndarray:
    """The student's return value as a float array of exactly `shape`, or a Failure that says why not."""
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], np.ndarray):
        raise Failure(f"{what} as one array of shape {shape}", f"a tuple of {len(value)} things",
                      "np.histogram returns (counts, bin_edges): keep the counts only")
    return returned_array(value, shape, what, shape_cause=shape_cause)


# Feature values: equal up to rounding (relative 1e-7 of the expected values' norm, or 1e-9 absolute).
FEATURE_REL, FEATURE_FLOOR = 1e-7, 1e-9


def _close(got: np.ndarray, expected: np.ndarray) -> bool:
    return close(got, expected, FEATURE_REL, FEATURE_FLOOR)


# ======================================================================================================
# polar_features(points) -> (N, 2) [radius, angle]
# ======================================================================================================

POLAR_FORMULA = "radius = np.sqrt(x ** 2 + y ** 2) (or np.hypot(x, y)), angle = np.arctan2(y, x)"


def _polar(fn, points: np.ndarray) -> np.ndarray:
    require_callable(fn, "polar_features")
    out = fn(points.copy())
    return _array(out, points.shape, "the polar features",
                  "return one row [radius, angle] per point: np.stack([radius, angle], axis=1) has shape (N, 2)")


def _polar_cause(points: np.ndarray, got: np.ndarray) -> str:
    x, y = points[:, 0], points[:, 1]
    if np.any(np.isnan(got[:, 1]) & (x == 0)):
        return "the angle is nan where x = 0: np.arctan(y / x) divides by zero; np.arctan2(y, x) handles x = 0"
    r, a = np.hypot(x, y), np.arctan2(y, x)
    with np.errstate(all="ignore"):
        candidates = [
            (lambda: np.stack([a, r], axis=1),
             "the columns are swapped: the first column is the radius, the second the angle"),
            (lambda: np.stack([x ** 2 + y ** 2, a], axis=1), "the radius is squared: take np.sqrt(x ** 2 + y ** 2)"),
            (lambda: np.stack([r, np.degrees(a)], axis=1),
             "the angle is in degrees; keep radians, as np.arctan2 returns them"),
            (lambda: np.stack([r, np.arctan(y / x)], axis=1),
             "np.arctan(y / x) cannot tell (x, y) from (-x, -y): use np.arctan2(y, x), which sees both signs"),
            (lambda: np.stack([r, np.arctan2(x, y)], axis=1),
             "the arguments are swapped: np.arctan2(y, x) takes y first"),
            (lambda: np.stack([r, np.mod(a, 2 * np.pi)], axis=1),
             "the angle is in [0, 2 pi); np.arctan2 gives (-pi, pi], keep it as it is"),
            (lambda: np.stack([np.abs(x) + np.abs(y), a], axis=1),
             "the radius is the Euclidean length sqrt(x^2 + y^2)"),
        ]
        return matching_mistake(got, np.stack([r, a], axis=1), candidates, _close) or POLAR_FORMULA


def _expect_polar(fn, points: np.ndarray, what: str, columns=(0, 1)) -> None:
    got = _polar(fn, points)
    expected = ref.polar_features(points)
    cols = list(columns)
    if not close(got[:, cols], expected[:, cols], 1e-9, 1e-12):
        rows = slice(None) if len(points) <= 8 else slice(0, 5)
        more = "" if len(points) <= 8 else f" (the first 5 of {len(points)} rows)"
        shown = (lambda a: a[rows, cols[0]]) if len(cols) == 1 else (lambda a: a[rows][:, cols])
        raise Failure(f"{fmt(shown(expected))} for {what}{more}", fmt(shown(got)), _polar_cause(points, got))


AXIS_POINTS = np.array([[1.0, 0.0], [0.0, 2.0], [-3.0, 0.0], [0.0, -0.5], [1.0, 1.0], [-1.0, -1.0],
                        [-2.0, 1.0], [3.0, -4.0]])


# -- answers that ignore their inputs: named only on the evidence of what came back ---------------------


def _ignored_cause(got: np.ndarray, echoes=()) -> str:
    """Why `got` looks like an answer that ignores its inputs, or "" when it does not: every value 0,
    the same row for every input, or (the first values of) an input handed back."""
    if got.size and np.all(got == 0):
        return "every value is 0: compute the result from the inputs (is the function still a placeholder?)"
    for echo, name in echoes:
        echo = np.asarray(echo, dtype=np.float64)
        if echo.shape == got.shape and np.allclose(got, echo, rtol=1e-12, atol=1e-12):
            return f"what came back is {name}, unchanged: compute the result from them"
        if (echo.ndim == got.ndim == 2 and len(echo) == len(got) and echo.shape[1] >= got.shape[1]
                and np.allclose(got, echo[:, :got.shape[1]], rtol=1e-12, atol=1e-12)):
            return f"each row holds the first values of {name}, not something computed from them"
        if echo.size >= got.size and np.allclose(got.ravel(), echo.ravel()[:got.size], rtol=1e-12, atol=1e-12):
            return f"what came back holds the first values of {name}, not something computed from them"
    if got.ndim > 1 and len(got) > 1 and np.all(got == got[:1]):
        return "every row is the same, whatever the input: compute each row from its own input"
    return ""


def _known_or_ignored(known: str, recipe: str, ignored: str) -> str:
    """A known mistake that the output matches, else the sign of an answer ignoring its inputs, else the
    recipe."""
    return known if known != recipe else (ignored or recipe)


POLAR_BASIC_POINTS = np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 2.0]])


def _polar_basic(fn, ctx: CheckContext) -> None:
    """Lenient on purpose: the common slips (degrees, a squared radius, arctan(y / x), swapped columns)
    each keep the radius or the angle right on these points, so they lose points only where their
    mistake shows; an answer that ignores the points has neither."""
    got = _polar(fn, POLAR_BASIC_POINTS)
    expected = ref.polar_features(POLAR_BASIC_POINTS)
    targets = (expected[:, 0], expected[:, 1])
    if any(close(got[:, c], t, 1e-9, 1e-12) for c in (0, 1) for t in targets):
        return
    cause = _known_or_ignored(_polar_cause(POLAR_BASIC_POINTS, got), POLAR_FORMULA,
                              _ignored_cause(got, [(POLAR_BASIC_POINTS, "the points")]))
    raise Failure(f"the radii {fmt(targets[0])} or the angles {fmt(targets[1])} (a column of "
                  f"{fmt(expected)}) for the points (3, 4), (1, 0), (0, 2)", fmt(got), cause)


POLAR_BASIC = BasicCase("the radius (5, 1, 2) or the angle (0.9273, 0, pi / 2) of the points (3, 4), (1, 0), "
                        "(0, 2) comes back", _polar_basic)


@check("polar_values", basic=POLAR_BASIC, params={
    "min_circles_accuracy": Param("number", 0.95,
                                  "the accuracy the provided trainer must reach on the student's polar features"),
})
def polar_values(fn, ctx: CheckContext):
    rng = ctx.rng(301)

    def shape():
        _polar(fn, AXIS_POINTS)

    def circles():
        points, labels = ref.concentric_circles(ctx.rng(302), n=200)
        feats = _polar(fn, points)
        if not np.all(np.isfinite(feats)):
            raise Failure("finite polar features", fmt(feats[:4]), POLAR_FORMULA)
        minimum = float(ctx.params.get("min_circles_accuracy", 0.95))
        acc = ref.linear_accuracy(feats, labels, feats, labels, learning_rate=1.0, reg=0.0, num_iters=100)
        if acc < minimum:
            raise Failure(f"training accuracy >= {minimum:.2f} (the reference polar features reach 1.00; raw x, y "
                          "stay near 0.5)", f"{acc:.2f}",
                          "the inner and the outer circle differ only in the radius: " + POLAR_FORMULA)

    yield ctx.run("returns one row [radius, angle] per point, shape (N, 2)", shape)
    yield ctx.run("radius of points on the axes, the diagonals and (3, -4) (radius 5)",
                  lambda: _expect_polar(fn, AXIS_POINTS, "the radii", columns=(0,)))
    yield ctx.run("angle = arctan2(y, x) in (-pi, pi], in all four quadrants (e.g. (-1, -1) -> -3 pi / 4)",
                  lambda: _expect_polar(fn, AXIS_POINTS, "the angles", columns=(1,)), weight=2)
    yield ctx.run("random points (N = 50) match the reference",
                  lambda: _expect_polar(fn, rng.standard_normal((50, 2)) * 3, "random points"))
    yield ctx.run("a linear classifier on your polar features separates two concentric circles", circles)


def _wrap(angle: np.ndarray) -> np.ndarray:
    """An angle difference brought into [-pi, pi)."""
    return (angle + np.pi) % (2 * np.pi) - np.pi


@st.composite
def _point_sets(draw):
    n = draw(st.integers(1, 6))
    return {"points": draw(float_arrays((n, 2), 100.0)),
            "rotation": draw(st.floats(-np.pi, np.pi, allow_subnormal=False)),
            "scale": draw(st.sampled_from([0.5, 2.0, 10.0]) | st.floats(0.1, 10.0, allow_subnormal=False))}


@check("polar_properties", basic=POLAR_BASIC)
def polar_properties(fn, ctx: CheckContext):
    def ranges(ex):
        got = _polar(fn, ex["points"])
        r, a = got[:, 0], got[:, 1]
        if not (np.all(r >= 0) and np.all(a > -np.pi - 1e-12) and np.all(a <= np.pi + 1e-12)):
            raise Failure("radius >= 0 and angle in (-pi, pi]", fmt(got), _polar_cause(ex["points"], got))

    def rotation(ex):
        points, t = ex["points"], ex["rotation"]
        rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
        turned = points @ rot.T
        got, got_turned = _polar(fn, points), _polar(fn, turned)
        if not np.allclose(got_turned[:, 0], got[:, 0], rtol=1e-9, atol=1e-9):
            raise Failure(f"the same radii after rotating the points by {t:.4g} rad", fmt(got_turned[:, 0]),
                          "the radius is the distance to the origin, which a rotation keeps: " + POLAR_FORMULA)
        far = ref.polar_features(points)[:, 0] > 1e-6       # the angle of the origin is arbitrary
        shift = _wrap(got_turned[far, 1] - got[far, 1] - t)
        if not np.allclose(shift, 0.0, atol=1e-7):
            raise Failure(f"every angle to grow by {t:.4g} rad (mod 2 pi) when the points rotate by {t:.4g} rad",
                          f"angles {fmt(got[far, 1])} became {fmt(got_turned[far, 1])}",
                          _polar_cause(points, got) or "a rotation about the origin adds its angle to arctan2(y, x)")

    def scaling(ex):
        points, s = ex["points"], ex["scale"]
        got, got_scaled = _polar(fn, points), _polar(fn, points * s)
        if not np.allclose(got_scaled[:, 0], s * got[:, 0], rtol=1e-9, atol=1e-9):
            raise Failure(f"radii times {s:.4g} when the points are scaled by {s:.4g}", fmt(got_scaled[:, 0]),
                          _polar_cause(points, got) or "the radius is a length: scaling the points scales it")
        far = ref.polar_features(points)[:, 0] > 1e-6
        if not np.allclose(_wrap(got_scaled[far, 1] - got[far, 1]), 0.0, atol=1e-7):
            raise Failure(f"the same angles when the points are scaled by {s:.4g}", fmt(got_scaled[far, 1]),
                          "the angle depends on the direction of (x, y) only: np.arctan2(y, x)")

    def unmodified(ex):
        require_callable(fn, "polar_features")
        require_unmodified(fn, {"points": ex["points"]},
                           "build a new array instead of writing the radius and angle into `points`", they=True)

    yield from each_holds_for_all(ctx, _point_sets(), {
        "radius >= 0 and angle in (-pi, pi]": ranges,
        "rotating the points about the origin keeps the radii and adds the rotation to the angles": rotation,
        "scaling the points scales the radii and keeps the angles": scaling,
        "points are left unmodified": unmodified,
    })


# ======================================================================================================
# color_histogram_hsv(im, nbin=10, xmin=0, xmax=255, normalized=True) -> (nbin,)
# ======================================================================================================

HUE_RECIPE = ("hue = matplotlib.colors.rgb_to_hsv(im / xmax)[..., 0] * xmax; "
              "np.histogram(hue, bins=np.linspace(xmin, xmax, nbin + 1), density=normalized); "
              "return the density times np.diff(bin_edges)")


def _hist(fn, im, **kwargs) -> np.ndarray:
    require_callable(fn, "color_histogram_hsv")
    nbin = kwargs.get("nbin", 10)
    out = fn(im.copy(), **kwargs)
    return _array(out, (nbin,), "the histogram",
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


def _crop(name: str, top: int, left: int, h: int, w: int) -> np.ndarray:
    return ref.sample_image(name)[top:top + h, left:left + w].astype(np.float64)


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
                          _known_or_ignored(_hist_cause(im, got), HUE_RECIPE, _ignored_cause(got)))
        used = int(np.count_nonzero(got))
        if not 1 <= used <= colours:
            raise Failure(f"weight in 1 to {colours} bins for a 2 x 2 image of {name}, one bin per colour at most "
                          f"{shown}", f"{fmt(got)} ({used} non-zero bins)",
                          _known_or_ignored(_hist_cause(im, got), HUE_RECIPE,
                                            _ignored_cause(got, [(im, "the image")]) or
                                            ("the same weight in every bin: count the pixels whose hue falls "
                                             "in each bin" if np.all(got == got[0]) else "")))
    if np.allclose(a, b, rtol=1e-9, atol=1e-12):
        first_bin = bool(np.all(a[1:] == 0))
        cause = ("every pixel lands in the first bin, whatever its colour: the hue from rgb_to_hsv is in [0, 1]; "
                 "multiply it by xmax before binning it in [xmin, xmax]" if first_bin and
                 _close(a, _hist_variant_unscaled(im_a)) else
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
    china = np.clip(_crop("china.jpg", 40, 60, 16, 16) + rng.uniform(0, 0.5, (16, 16, 3)), 0, 255)
    flower = np.clip(_crop("flower.jpg", 30, 70, 16, 24) + rng.uniform(0, 0.5, (16, 24, 3)), 0, 255)
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


# ======================================================================================================
# hog_feature(im) -> (n_cells_y * n_cells_x * 9,)
# ======================================================================================================

HOG_RECIPE = ("gray = 0.299 R + 0.587 G + 0.114 B; gx[:, :-1] = np.diff(image, axis=1), "
              "gy[:-1, :] = np.diff(image, axis=0); magnitude = sqrt(gx^2 + gy^2); orientation = "
              "(degrees(arctan2(gy, gx)) + 90) % 180; 9 bins of 20 degrees; per 8 x 8 cell the mean over its 64 "
              "pixels of the magnitude in each bin")


def _hog_size(shape) -> int:
    return (shape[0] // ref.HOG_CELL) * (shape[1] // ref.HOG_CELL) * ref.HOG_ORIENTATIONS


def _hog(fn, im) -> np.ndarray:
    require_callable(fn, "hog_feature")
    try:
        out = fn(im.copy())
    except ValueError as exc:
        if "broadcast" not in str(exc) or im.shape[0] == im.shape[1] or not _works_on_square(fn, im):
            raise
        raise Failure("the call to return normally", f"ValueError: {str(exc)[:120]}",
                      "it works on a square image but not on this H x W one: CS231n's `.T` stores the cells as "
                      "(n_cells_x, n_cells_y), which fits only square images; fill an (H // 8, W // 8, 9) array "
                      "with cell (cy, cx) at [cy, cx]") from None
    size = _hog_size(im.shape)
    if isinstance(out, np.ndarray) and out.ndim > 1 and out.size == size:
        raise Failure(f"a flat vector of shape ({size},)", f"shape {out.shape}",
                      "flatten the (n_cells_y, n_cells_x, 9) histograms with .ravel()")
    return _array(out, (size,), "the HoG feature",
                  "one histogram of 9 orientation bins per 8 x 8 cell: (H // 8) * (W // 8) * 9 values")


def _works_on_square(fn, im) -> bool:
    """The evidence for a square-only answer: it returns on the image's largest square crop."""
    side = min(im.shape[:2])
    try:
        fn(np.array(im[:side, :side]))
    except Exception:
        return False
    return True


def _same_hog(got, expected, shape, rtol=1e-7) -> bool:
    """Equal to the reference in its cell order (n_cells_y, n_cells_x, 9) or in CS231n's (x, y, 9)."""
    atol = 1e-9 * max(1.0, float(np.max(np.abs(expected))))
    return any(close(got, e, rtol, atol) for e in (expected, ref.cs231n_cell_order(expected, shape)))


def _hog_variant(im, *, weights=ref.GRAY_WEIGHTS, gradients="forward", orientation="unsigned",
                 statistic="mean", magnitude="norm") -> np.ndarray:
    """HoG with one known mistake, to name it when a student's numbers equal it."""
    im = np.asarray(im, dtype=np.float64)
    gray = ref.rgb2gray(im, weights) if im.ndim == 3 else im
    if gradients == "forward":
        gx, gy = ref.image_gradients(gray)
    elif gradients == "swapped":
        gy, gx = ref.image_gradients(gray)
    else:  # central differences
        gy, gx = np.gradient(gray)
    mag = np.sqrt(gx ** 2 + gy ** 2) if magnitude == "norm" else gx ** 2 + gy ** 2
    raw = np.degrees(np.arctan2(gy, gx))
    n = ref.HOG_ORIENTATIONS
    if orientation == "unsigned":
        ori = ref.unsigned_orientation(gx, gy)
    elif orientation == "radians":
        ori = np.mod(np.arctan2(gy, gx) + 90, 180)
    elif orientation == "no_offset":
        ori = np.mod(raw, 180)
    elif orientation == "not_folded":       # CS231n's code: orientations outside [0, 180) are dropped
        ori = raw + 90
        mag = np.where((ori >= 0) & (ori < 180), mag, 0.0)
        ori = np.clip(ori, 0, 179.0)
    elif orientation == "signed_plus_180_unwrapped":    # (0, 360]: 360 lands in the last bin
        ori = (raw + 180) / 2
    elif orientation.startswith("signed"):  # 9 bins of 40 degrees over a full turn, from one of 3 offsets
        offset = {"signed": 0, "signed_plus_90": 90, "signed_plus_180": 180}[orientation]
        ori = np.mod(raw + offset, 360) / 2
    else:
        raise ValueError(orientation)
    cells = ref.orientation_histograms(mag, ori, orientations=n)
    if statistic == "sum":
        cells = cells * ref.HOG_CELL ** 2
    return cells.ravel()


HOG_CANDIDATES = [
    (dict(weights=ref.CS231N_GRAY_WEIGHTS),
     "the gray weights are 0.299, 0.587, 0.144: CS231n's starter has a typo, blue weighs 0.114 (the weights sum to 1)"),
    (dict(orientation="radians"),
     "the orientation is in radians: convert np.arctan2 with np.degrees (or * 180 / np.pi) "
     "before adding 90 and binning in 20-degree bins"),
    (dict(orientation="not_folded"),
     "orientations outside [0, 180) are dropped (as in CS231n's original code): HoG is unsigned, fold them with "
     "% 180 so a gradient and its opposite fall in the same bin"),
    *[(dict(orientation=o), "the orientation is signed, binned over 360 degrees: HoG here is unsigned, a gradient "
                            "and its opposite share a bin: (degrees + 90) % 180 in 9 bins of 20 degrees")
      for o in ("signed", "signed_plus_90", "signed_plus_180", "signed_plus_180_unwrapped")],
    (dict(orientation="no_offset"),
     "the orientation lacks CS231n's + 90 degrees: (degrees(arctan2(gy, gx)) + 90) % 180"),
    (dict(statistic="sum"),
     "each cell sums the magnitudes: CS231n averages them over the cell's 64 pixels (divide by 64)"),
    (dict(magnitude="squared"), "the magnitude is squared: sqrt(gx ** 2 + gy ** 2)"),
    (dict(gradients="swapped"), "gx and gy are swapped: gx differences along the columns (axis=1), gy along the rows "
                                "(axis=0)"),
    (dict(gradients="central"), "the gradients are central differences (np.gradient): CS231n uses forward differences, "
                                "gx[:, :-1] = np.diff(image, axis=1) and gy[:-1, :] = np.diff(image, axis=0)"),
]


def _hog_cause(im, got) -> str:
    shape = im.shape[:2]
    candidates = [(lambda kw=kw: _hog_variant(im, **kw), cause) for kw, cause in HOG_CANDIDATES]
    return matching_mistake(got, ref.hog_feature(im), candidates,
                            lambda a, b: _same_hog(a, b, shape, rtol=1e-6)) or HOG_RECIPE


def _expect_hog(fn, im, what) -> None:
    got = _hog(fn, im)
    expected = ref.hog_feature(im)
    if not _same_hog(got, expected, im.shape[:2]):
        raise Failure(f"{fmt(expected[:18])}... for {what}", f"{fmt(got[:18])}...", _hog_cause(im, got))


def _edge_images() -> tuple[np.ndarray, np.ndarray]:
    """8 x 16 images with one vertical edge (0 | 100) between columns 7 and 8, and its mirror (100 | 0)."""
    rising = np.zeros((8, 16))
    rising[:, 8:] = 100.0
    return rising, 100.0 - rising


def _without_ties(im: np.ndarray) -> np.ndarray:
    """The image with its last column made constant. There gx = 0 by CS231n's convention, so a nonzero gy
    would make an exactly vertical gradient, whose orientation 0 = 180 (mod 180) sits on the border of
    the first and the last bin: CS231n's `arctan2(gy, gx + 1e-15)` sends it to either, depending on
    |gy|. The checks grade no such pixel. (With continuous noise elsewhere, gx is never exactly 0.)"""
    im = np.array(im, dtype=np.float64)
    im[:, -1] = im[:1, -1]
    return im


HOG_BASIC_BLOCK = np.zeros((16, 16))
HOG_BASIC_BLOCK[:8, 4:8] = 100.0        # every gradient of the block lies in the top-left 8 x 8 cell


def _hog_basic(fn, ctx: CheckContext) -> None:
    """HoG sees edges and nothing else: a flat 16 x 16 image gives all zeros; a bright block inside the
    top-left cell gives weight in that cell and none in the other three. Square, so that CS231n's `.T`
    cell order fits, and the top-left cell comes first in either order. Every gradient-based slip (gray
    weights, radians, signed bins, sums for means, squared magnitudes, swapped gradients) passes and
    loses points where its mistake shows; zeros, a constant, random numbers and the pixels do not."""
    block = HOG_BASIC_BLOCK
    flat = np.full(block.shape, 50.0)
    got_flat = _hog(fn, flat)
    if not (np.all(np.isfinite(got_flat)) and np.allclose(got_flat, 0.0, rtol=0, atol=1e-9)):
        raise Failure("all zeros for a flat 16 x 16 image (value 50 everywhere: no gradient, no edge)",
                      fmt(got_flat[:18]), _ignored_cause(got_flat, [(flat, "the image")])
                      or "the magnitudes come from the gradients gx, gy (np.diff), which are 0 on a flat image")
    got = _hog(fn, block)
    expected = ref.hog_feature(block)
    first, others = got[:ref.HOG_ORIENTATIONS], got[ref.HOG_ORIENTATIONS:]
    if not (np.all(np.isfinite(got)) and np.all(got >= -1e-9 * first.sum()) and first.sum() > 0
            and np.all(np.abs(others) <= 1e-9 * first.sum())):
        raise Failure(f"non-negative weight in the top-left cell's 9 bins and zeros in the other cells' for a 16 x 16 "
                      f"image, 0 but for a block of 100 at rows 0-7, columns 4-7 (the reference gives "
                      f"{fmt(expected[:9])} for the top-left cell, zeros for the others)", fmt(got[:18]) + "...",
                      _known_or_ignored(_hog_cause(block, got), HOG_RECIPE,
                                        _ignored_cause(got, [(block, "the image")])))


HOG_BASIC = BasicCase("a flat image gives zeros; a bright block inside one cell gives weight in that cell only",
                      _hog_basic)


@check("hog_values", basic=HOG_BASIC)
def hog_values(fn, ctx: CheckContext):
    rng = ctx.rng(321)
    # Natural crops plus a little noise, so that no gradient lies exactly on a bin edge.
    gray = _without_ties(ref.rgb2gray(_crop("china.jpg", 20, 30, 16, 24)) + rng.uniform(0, 1, (16, 24)))
    color = _without_ties(_crop("flower.jpg", 40, 50, 24, 16) + rng.uniform(0, 1, (24, 16, 3)))
    square = _without_ties(_crop("china.jpg", 60, 100, 16, 16)[..., 1] + rng.uniform(0, 1, (16, 16)))

    def shape():
        _hog(fn, gray)

    def edges():
        for im, name in zip(_edge_images(), ("dark | bright", "bright | dark")):
            got = _hog(fn, im)
            expected = ref.hog_feature(im)        # 8 pixels of magnitude 100 in bin 4 (80-100 deg): 800 / 64
            if not _same_hog(got, expected, im.shape):
                raise Failure(f"{fmt(expected)} for a vertical edge {name} (12.5 = 8 pixels * 100 / 64 in the "
                              "80-100 degree bin of the left cell)", fmt(got), _hog_cause(im, got))

    yield ctx.run("returns a flat vector of (16 // 8) * (24 // 8) * 9 = 54 values for a 16 x 24 image", shape)
    yield ctx.run("a vertical edge, dark to bright and bright to dark, lands in the 80-100 degree bin", edges)
    yield ctx.run("HoG of a gray 16 x 24 crop of china.jpg matches the reference",
                  lambda: _expect_hog(fn, gray, "the gray crop"), weight=2)
    yield ctx.run("HoG of a square gray 16 x 16 crop matches the reference",
                  lambda: _expect_hog(fn, square, "the square crop"))
    yield ctx.run("HoG of a color 24 x 16 crop of flower.jpg (gray = 0.299 R + 0.587 G + 0.114 B)",
                  lambda: _expect_hog(fn, color, "the color crop"), weight=2)


@st.composite
def _gray_images(draw):
    """Integer images plus a ramp of 0.5 per column, with a constant last column: every gx is a nonzero
    multiple of 0.5 (no exactly vertical gradient, see _without_ties), and adding an integer or scaling
    by a power of 2 changes the gradients exactly."""
    h, w = draw(st.sampled_from([(8, 8), (8, 16), (16, 8), (16, 16)]))
    im = draw(hnp.arrays(np.int64, (h, w), elements=st.integers(0, 255))).astype(np.float64)
    im = _without_ties(im + 0.5 * np.arange(w))
    return {"im": im, "constant": float(draw(st.integers(-300, 300))), "scale": draw(st.sampled_from([2.0, 4.0, 0.5]))}


@check("hog_properties", basic=HOG_BASIC)
def hog_properties(fn, ctx: CheckContext):
    def nonnegative(ex):
        got = _hog(fn, ex["im"])
        # Means by running sums (CS231n's uniform_filter) leave rounding residue of about 1e-16 where
        # the mean is 0, of either sign: only a negative beyond rounding is a mistake.
        scale = max(1.0, float(np.max(np.abs(got)))) if np.all(np.isfinite(got)) else 1.0
        if not (np.all(np.isfinite(got)) and np.all(got >= -1e-9 * scale)):
            raise Failure("finite, non-negative cell histograms (means of magnitudes)",
                          f"{fmt(got[:18])} (smallest {np.min(got):.3g})", _hog_cause(ex["im"], got))
        flat = _hog(fn, np.full_like(ex["im"], ex["im"].flat[0]))
        if not np.allclose(flat, 0.0, rtol=0, atol=1e-9):
            raise Failure("all zeros for a constant image (no gradient anywhere)", fmt(flat[:18]), HOG_RECIPE)

    def brightness(ex):
        im, c = ex["im"], ex["constant"]
        a, b = _hog(fn, im), _hog(fn, im + c)
        if not np.allclose(a, b, rtol=1e-9, atol=1e-9):
            raise Failure(f"the same HoG after adding {c:g} to every pixel", f"{fmt(a[:9])} became {fmt(b[:9])}",
                          "HoG sees differences of neighbouring pixels only: gx, gy by np.diff")

    def contrast(ex):
        im, s = ex["im"], ex["scale"]
        a, b = _hog(fn, im), _hog(fn, im * s)
        if not np.allclose(b, s * a, rtol=1e-9, atol=1e-9):
            raise Failure(f"the HoG times {s:g} for the image times {s:g}", f"{fmt(a[:9])} became {fmt(b[:9])}",
                          _hog_cause(im, a) or "the magnitude sqrt(gx^2 + gy^2) scales with the image; "
                                               "the orientation does not change")

    def gray_as_rgb(ex):
        im = ex["im"]
        a, b = _hog(fn, im), _hog(fn, np.stack([im] * 3, axis=-1))
        if not np.allclose(a, b, rtol=1e-9, atol=1e-9):
            raise Failure("the HoG of the gray image for the same image stored as RGB (R = G = B)",
                          f"{fmt(a[:9])} became {fmt(b[:9])}",
                          _hog_cause(np.stack([im] * 3, axis=-1), b) or
                          "gray = 0.299 R + 0.587 G + 0.114 B; the weights sum to 1, so R = G = B = v gives v")

    def unmodified(ex):
        require_callable(fn, "hog_feature")
        require_unmodified(fn, {"the image": ex["im"]}, "work on a copy of the image")

    yield from each_holds_for_all(ctx, _gray_images(), {
        "finite and non-negative, zero for a constant image": nonnegative,
        "adding a constant to every pixel changes nothing": brightness,
        "scaling the image scales the HoG by the same factor": contrast,
        "a gray image stored as RGB (R = G = B) has the HoG of the gray image": gray_as_rgb,
        "the image is left unmodified": unmodified,
    })


# ======================================================================================================
# build_vocabulary(patches, k, num_iters=10, seed=0) -> (k, P)
# ======================================================================================================

KMEANS_RECIPE = ("start from patches[np.random.default_rng(seed).choice(M, size=k, replace=False)]; each "
                 "iteration assign every patch to its nearest word (squared Euclidean distance, np.argmin) and "
                 "move each word to the mean of its patches (a word without patches stays)")


def _vocab(fn, patches, k, **kwargs) -> np.ndarray:
    require_callable(fn, "build_vocabulary")
    out = fn(patches.copy(), k, **kwargs)
    return _array(out, (k, patches.shape[1]), "the vocabulary", "one word (a patch-sized vector) per row: (k, P)")


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
    return matching_mistake(got, ref.build_vocabulary(patches, k, num_iters, seed), candidates, _close) or KMEANS_RECIPE


def _blobs(rng, centers: int = 4, per: int = 30, dim: int = 6, spread: float = 10.0) -> np.ndarray:
    middle = rng.standard_normal((centers, dim)) * spread
    points = (middle[:, None, :] + rng.standard_normal((centers, per, dim))).reshape(-1, dim)
    return points[rng.permutation(len(points))]


def _expect_vocab(fn, patches, k, num_iters, seed, what) -> None:
    got = _vocab(fn, patches, k, num_iters=num_iters, seed=seed)
    expected = ref.build_vocabulary(patches, k, num_iters, seed)
    if not _close(got, expected):
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
    if any(_close(got, e) for e in (expected, expected[::-1])):
        return
    mean = patches.mean(axis=0)
    if _close(got, np.tile(mean, (2, 1))):
        cause = ("both words are the mean of all the patches: assign every patch to its nearest word, then move "
                 "each word to the mean of its own patches")
    else:
        cause = _known_or_ignored(_vocab_cause(patches, 2, VOCAB_BASIC_ARGS["num_iters"], VOCAB_BASIC_ARGS["seed"],
                                               got), KMEANS_RECIPE, _ignored_cause(got, [(patches, "the patches")]))
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
        if not _close(got, mean):
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


# ======================================================================================================
# bow_histogram(patches, vocabulary) -> (k,)
# ======================================================================================================

BOW_RECIPE = ("squared distances between every patch and every word, np.argmin over the words, then the "
              "fraction of patches that chose each word: np.bincount(nearest, minlength=k) / M")


def _bow(fn, patches, vocabulary) -> np.ndarray:
    require_callable(fn, "bow_histogram")
    out = fn(patches.copy(), vocabulary.copy())
    return _array(out, (len(vocabulary),), "the histogram", "one entry per visual word: shape (k,)")


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
    return matching_mistake(got, ref.bow_histogram(patches, vocabulary), candidates, _close) or BOW_RECIPE


def _expect_bow(fn, patches, vocabulary, what) -> None:
    got = _bow(fn, patches, vocabulary)
    expected = ref.bow_histogram(patches, vocabulary)
    if not _close(got, expected):
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
    if total > 0 and _close(got, total * expected):
        return
    ignored = _ignored_cause(got, [(patches, "the patches"), (words, "the vocabulary")])
    if not ignored and np.all(got == got[0]):
        ignored = "every word got the same share: count, for each word, the patches whose nearest word it is"
    raise Failure(f"{fmt(expected)} (or any multiple of it: 1, 3 and 2 of the 6 patches nearest to each word) for "
                  "6 patches near three words of length 1", fmt(got),
                  _known_or_ignored(_bow_cause(patches, words, got), BOW_RECIPE, ignored))


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


# ======================================================================================================
# extract_features(imgs, feature_fns) -> (N, F_1 + ... + F_k)
# ======================================================================================================

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
    return _array(out, expected.shape, "the feature matrix", cause)


def _stack_cause(imgs, fns, got) -> str:
    candidates = [
        (lambda: _expected_stack(imgs, fns[::-1]), "the functions' features are in reverse order: keep the order "
                                                   "of feature_fns"),
        (lambda: np.repeat(_expected_stack(imgs[:1], fns), len(imgs), axis=0),
         "every row holds the first image's features: compute the features of imgs[i] for row i"),
    ]
    return matching_mistake(got, _expected_stack(imgs, fns), candidates, _close) or STACK_RECIPE


def _expect_stack(fn, imgs, fns, what) -> None:
    got = _stack(fn, imgs, fns)
    expected = _expected_stack(imgs, fns)
    if not _close(got, expected):
        raise Failure(f"{fmt(expected)} for {what}", fmt(got), _stack_cause(imgs, fns, got))


EXTRACT_BASIC_IMAGES = np.arange(2 * 2 * 3 * 3, dtype=np.float64).reshape(2, 2, 3, 3) * 7.0 % 255


def _extract_basic(fn, ctx: CheckContext) -> None:
    """One feature function, two images: the rows are the images' features. Order and stacking slips with
    several functions pass (they show only there); zeros, a constant, random numbers and the pixels do not."""
    imgs, fns = EXTRACT_BASIC_IMAGES, [_channel_means]
    got = _stack(fn, imgs, fns)
    expected = _expected_stack(imgs, fns)
    if _close(got, expected):
        return
    cause = _known_or_ignored(_stack_cause(imgs, fns, got), STACK_RECIPE,
                              _ignored_cause(got, [(imgs.reshape(len(imgs), -1), "the images' pixels")]))
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


# ======================================================================================================
# the experiment: (feature names, learning rate, reg) for the provided trainer
# ======================================================================================================


def _experiment_answer(answer) -> tuple[tuple[str, ...], float, float]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 3:
        raise Failure("(feature names, learning rate, reg)", f"{brief(answer, 60)}",
                      "set the three variables of the cell")
    names, lr, reg = answer
    if names is None or lr is None or reg is None:
        raise Failure("your choice of features, learning rate and reg", "None (not answered)",
                      "replace None with your choice and run the cell")
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, (list, tuple)) or not names:
        raise Failure(f"a non-empty list of names from {list(ref.FEATURE_NAMES)}", f"{brief(names, 60)}")
    bad = [n for n in names if not isinstance(n, str) or n.strip().lower() not in ref.FEATURE_NAMES]
    if bad:
        raise Failure(f"names from {list(ref.FEATURE_NAMES)}", f"{brief(bad, 60)}", "spell the names as in the list")
    numbers = []
    for what, value, strict in (("the learning rate", lr, True), ("reg", reg, False)):
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise Failure(f"{what} as a number", f"{brief(value, 40)}") from None
        if not math.isfinite(v) or v < 0 or (strict and v == 0):
            raise Failure(f"{what} {'> 0' if strict else '>= 0'}", f"{v!r}")
        numbers.append(v)
    unique = tuple(dict.fromkeys(n.strip().lower() for n in names))
    return unique, numbers[0], numbers[1]


EXPERIMENT_PARAMS = {
    "reference_raw_accuracy": Param("number", 0.31, "the test accuracy the provided trainer reaches on raw pixels"),
    "reference_feature_accuracy": Param("number", None, "the test accuracy the reference features reach (calibration)"),
    "min_margin": Param("number", 0.15, "how far above raw pixels the student's features must get"),
    "num_iters": Param("integer", 150, "iterations of the provided trainer"),
}


_experiment_accuracy = functools.lru_cache(maxsize=64)(ref.experiment_accuracy)


def _experiment_settings(ctx: CheckContext) -> tuple[float, float, int]:
    return (float(ctx.params.get("reference_raw_accuracy", 0.31)), float(ctx.params.get("min_margin", 0.15)),
            int(ctx.params.get("num_iters", 150)))


def _experiment_cause(names, num_iters: int) -> str:
    if set(names) <= {"raw", "color"}:
        return ("raw pixels move with the digit and the hue of a gray image is 0 everywhere: "
                "choose features that describe local shape, like HoG")
    if set(names) == {"bow"}:
        return "a bag of words alone forgets where the strokes are: combine it with HoG"
    return ("the features can do it, but these hyperparameters do not train well in "
            f"{num_iters} iterations: pick the learning rate and reg with the best validation accuracy")


def _experiment_basic(answer, ctx: CheckContext) -> None:
    """The experiment's do-nothing answers are the baseline itself (raw pixels, alone or with the hue
    histogram, which is constant on gray digits) and choices that do not train: the choice must use
    other features and beat raw pixels at all. Beating them by the margin is the cell's criterion."""
    raw, _, num_iters = _experiment_settings(ctx)
    names, lr, reg = _experiment_answer(answer)
    if set(names) <= {"raw", "color"}:
        raise Failure("features other than raw pixels: the experiment asks which features beat them",
                      f"{list(names)}", _experiment_cause(names, num_iters))
    acc = _experiment_accuracy(names, lr, reg, num_iters)
    if not acc > raw:
        raise Failure(f"test accuracy above raw pixels' {raw:.2f}",
                      f"{acc:.3f} with {list(names)}, learning_rate={lr:g}, reg={reg:g}",
                      _experiment_cause(names, num_iters))


EXPERIMENT_BASIC = BasicCase("your choice uses features other than raw pixels and beats them in test accuracy",
                             _experiment_basic)


@check("feature_experiment_accuracy", basic=EXPERIMENT_BASIC, params=EXPERIMENT_PARAMS)
def feature_experiment_accuracy(answer, ctx: CheckContext):
    raw, margin, num_iters = _experiment_settings(ctx)
    pick = ctx.params.get("reference_feature_accuracy")

    def well_formed():
        _experiment_answer(answer)

    def beats_raw():
        names, lr, reg = _experiment_answer(answer)
        acc = _experiment_accuracy(names, lr, reg, num_iters)
        if acc < raw + margin:
            reference = f"; the notebook's own pick reaches {float(pick):.2f}" if pick is not None else ""
            raise Failure(f"test accuracy >= {raw + margin:.2f} (raw pixels reach {raw:.2f}{reference})",
                          f"{acc:.3f} with {list(names)}, learning_rate={lr:g}, reg={reg:g}",
                          _experiment_cause(names, num_iters))

    yield ctx.run(f"the answer names features from {list(ref.FEATURE_NAMES)}, a learning rate > 0 and a reg >= 0",
                  well_formed)
    yield ctx.run(f"trained by the provided softmax trainer on the reference features, your choice beats raw "
                  f"pixels by at least {margin:.2f} in test accuracy", beats_raw, weight=2)
