"""Checks of features.ipynb: polar_features(points) -> (N, 2) [radius, angle].

Helpers every feature check shares are in features.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ..course_model import Param
from ..outcome import CheckContext, Failure
from ..reference import features as ref
from .calls import require_callable
from .closeness import close
from .features import feature_array, features_close, ignored_cause, known_or_ignored
from .mistakes import matching_mistake
from .problems import fmt
from .properties import each_holds_for_all, float_arrays
from .registry import BasicCase, check
from .unmodified import require_unmodified

POLAR_FORMULA = "radius = np.sqrt(x ** 2 + y ** 2) (or np.hypot(x, y)), angle = np.arctan2(y, x)"


def _polar(fn, points: np.ndarray) -> np.ndarray:
    require_callable(fn, "polar_features")
    out = fn(points.copy())
    return feature_array(out, points.shape, "the polar features",
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
        return matching_mistake(got, np.stack([r, a], axis=1), candidates, features_close) or POLAR_FORMULA


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
    cause = known_or_ignored(_polar_cause(POLAR_BASIC_POINTS, got), POLAR_FORMULA,
                              ignored_cause(got, [(POLAR_BASIC_POINTS, "the points")]))
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


