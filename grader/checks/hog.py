"""Checks of features.ipynb: hog_feature(im) -> (n_cells_y * n_cells_x * 9,).

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
from .features import crop, feature_array, ignored_cause, known_or_ignored
from .mistakes import matching_mistake
from .problems import fmt
from .properties import each_holds_for_all
from .registry import BasicCase, check
from .unmodified import require_unmodified

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
    return feature_array(out, (size,), "the HoG feature",
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
                      fmt(got_flat[:18]), ignored_cause(got_flat, [(flat, "the image")])
                      or "the magnitudes come from the gradients gx, gy (np.diff), which are 0 on a flat image")
    got = _hog(fn, block)
    expected = ref.hog_feature(block)
    first, others = got[:ref.HOG_ORIENTATIONS], got[ref.HOG_ORIENTATIONS:]
    if not (np.all(np.isfinite(got)) and np.all(got >= -1e-9 * first.sum()) and first.sum() > 0
            and np.all(np.abs(others) <= 1e-9 * first.sum())):
        raise Failure(f"non-negative weight in the top-left cell's 9 bins and zeros in the other cells' for a 16 x 16 "
                      f"image, 0 but for a block of 100 at rows 0-7, columns 4-7 (the reference gives "
                      f"{fmt(expected[:9])} for the top-left cell, zeros for the others)", fmt(got[:18]) + "...",
                      known_or_ignored(_hog_cause(block, got), HOG_RECIPE,
                                        ignored_cause(got, [(block, "the image")])))


HOG_BASIC = BasicCase("a flat image gives zeros; a bright block inside one cell gives weight in that cell only",
                      _hog_basic)


@check("hog_values", basic=HOG_BASIC)
def hog_values(fn, ctx: CheckContext):
    rng = ctx.rng(321)
    # Natural crops plus a little noise, so that no gradient lies exactly on a bin edge.
    gray = _without_ties(ref.rgb2gray(crop("china.jpg", 20, 30, 16, 24)) + rng.uniform(0, 1, (16, 24)))
    color = _without_ties(crop("flower.jpg", 40, 50, 24, 16) + rng.uniform(0, 1, (24, 16, 3)))
    square = _without_ties(crop("china.jpg", 60, 100, 16, 16)[..., 1] + rng.uniform(0, 1, (16, 16)))

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


