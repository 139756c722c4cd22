"""Checks of regularization.ipynb: the ridge polynomial fit `fit_polynomial_ridge`. Helpers shared with
the notebook's other checks are in regularization.py.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..numerics import relative_error
from ..outcome import CheckContext, Failure
from ..reference import regularization as ref
from .calls import require_callable
from .problems import fmt
from .properties import each_holds_for_all, finite_floats
from .registry import BasicCase, check
from .regularization import known_cause, not_a_function, result_array
from .unmodified import require_unmodified

# -- fit_polynomial_ridge ---------------------------------------------------------------------------

RIDGE = "fit_polynomial_ridge"
RIDGE_RULE = "solve (A.T @ A + lam * I) c = A.T @ y with A = np.vander(x, degree + 1, increasing=True)"


def _call_ridge(fn, x, y, degree, lam) -> np.ndarray:
    require_callable(fn, RIDGE)
    out = fn(x.copy(), y.copy(), degree, lam)
    if isinstance(out, (tuple, list)) and len(out) != degree + 1:
        raise Failure(f"an array of the {degree + 1} coefficients", f"a {type(out).__name__} of {len(out)} items",
                      "return the coefficients only")
    return result_array(out, (degree + 1,), "the coefficients",
                  "one coefficient per power x^0, x^1, ..., x^degree: degree + 1 of them, as a 1-D array")


def _ridge_causes(x, y, degree, lam):
    A = ref.polynomial_features(x, degree)
    AtA, Aty = A.T @ A, A.T @ y
    eye = np.eye(degree + 1)
    c = np.linalg.solve(AtA + lam * eye, Aty)
    out = [(c[::-1], "the coefficients are in reverse order: c[k] multiplies x**k; np.vander's default is decreasing "
                     "powers, use np.vander(x, degree + 1, increasing=True)"),
           (np.linalg.lstsq(A, y, rcond=None)[0], "lam is not used: the ridge fit solves (A.T A + lam I) c = A.T y"),
           (np.linalg.solve(AtA + len(x) * lam * eye, Aty),
            "this fit minimizes the *sum* of squared errors + lam * sum(c**2): (A.T A + lam I) c = A.T y, no N"),
           (np.linalg.solve(AtA + 2 * lam * eye, Aty), "the ridge system is (A.T A + lam I) c = A.T y (no factor 2)")]
    with np.errstate(all="ignore"):
        try:
            out.insert(1, (np.linalg.solve(AtA + lam, Aty),
                           "A.T @ A + lam adds lam to every entry; add it to the diagonal only: "
                           "A.T @ A + lam * np.eye(degree + 1)"))
        except np.linalg.LinAlgError:
            pass
    return out


def _ridge_data(rng, n):
    x = np.sort(rng.uniform(-1, 1, n))
    return x, np.sin(2.5 * x) + 0.1 * rng.standard_normal(n)


def _expect_ridge(ctx, fn, x, y, degree, lam, want=None, what=None):
    got = _call_ridge(fn, x, y, degree, lam)
    want = ref.fit_polynomial_ridge(x, y, degree, lam) if want is None else want
    err = relative_error(got, want)
    if not err <= ctx.tol.value_rel_error:
        raise Failure(f"{what or 'the ridge coefficients'} {fmt(want)} "
                      f"(N = {len(x)}, degree = {degree}, lam = {lam:g})",
                      fmt(got), known_cause(got, want, _ridge_causes(x, y, degree, lam), False) or RIDGE_RULE)


BASIC_X = np.array([-1.0, -0.5, 0.0, 0.5, 1.0, 1.5])
BASIC_C = np.array([1.0, -2.0, 1.0])


def _ridge_basic(fn, ctx: CheckContext) -> None:
    """Six sorted points exactly on p(x) = 1 - 2x + x^2, degree 2, lam = 0: the fit is [1, -2, 1]. Its
    coefficients read the same in either order and lam = 0 hides how lam enters, so those slips keep the
    credit of their other criteria; coefficients that ignore the data miss it."""
    require_callable(fn, RIDGE)
    y = BASIC_C[0] + BASIC_C[1] * BASIC_X + BASIC_C[2] * BASIC_X ** 2
    got = _call_ridge(fn, BASIC_X, y, 2, 0.0)
    if not relative_error(got, BASIC_C) <= ctx.tol.value_rel_error:
        cause = known_cause(got, BASIC_C, _ridge_causes(BASIC_X, y, 2, 0.0), False)
        if not cause and not np.any(got):
            cause = "the coefficients are all 0: " + RIDGE_RULE + ", and return c"
        raise Failure(f"the exact fit {fmt(BASIC_C)} of 6 points on p(x) = 1 - 2x + x^2 (degree = 2, lam = 0)",
                      fmt(got), cause or RIDGE_RULE)


RIDGE_BASIC = BasicCase("six points on p(x) = 1 - 2x + x^2 (degree = 2, lam = 0) are fitted exactly: c = [1, -2, 1]",
                        _ridge_basic)


@check("ridge_values", basic=RIDGE_BASIC)
def ridge_values(fn, ctx: CheckContext):
    rng = ctx.rng(460)
    x, y = _ridge_data(rng, 20)
    x3, y3 = _ridge_data(rng, 25)
    x9, y9 = _ridge_data(rng, 30)
    yield ctx.run("returns degree + 1 coefficients, shape (degree + 1,) (degree = 5)",
                  lambda: _call_ridge(fn, x, y, 5, 0.1))
    yield ctx.run("the ridge solution (A^T A + lam I)^-1 A^T y (degree = 5, lam = 0.1)",
                  lambda: _expect_ridge(ctx, fn, x, y, 5, 0.1))
    yield ctx.run("lam = 0 is ordinary least squares (degree = 3)",
                  lambda: _expect_ridge(ctx, fn, x3, y3, 3, 0.0, np.linalg.lstsq(ref.polynomial_features(x3, 3), y3,
                                                                                 rcond=None)[0],
                                        "the least-squares coefficients"))
    yield ctx.run("degree 0 fits the constant sum(y) / (N + lam) (lam = 4)",
                  lambda: _expect_ridge(ctx, fn, x, y, 0, 4.0, np.array([y.sum() / (len(y) + 4.0)]),
                                        "the constant"))
    yield ctx.run("a high degree (9) with lam = 0.01",
                  lambda: _expect_ridge(ctx, fn, x9, y9, 9, 0.01))


@st.composite
def _ridge_examples(draw):
    n = draw(st.integers(2, 12))
    degree = draw(st.integers(0, 4))
    x = draw(hnp.arrays(np.float64, n, elements=st.floats(-1.0, 1.0, allow_subnormal=False)))
    y = draw(hnp.arrays(np.float64, n, elements=finite_floats(5.0)))
    lam = draw(st.sampled_from([1e-3, 0.1, 1.0]) | st.floats(1e-3, 10.0))
    factor = draw(st.sampled_from([2.0, 10.0]) | st.floats(1.0, 100.0))
    return {"x": x, "y": y, "degree": degree, "lam": lam, "larger lam": lam * factor}


@check("ridge_properties", basic=RIDGE_BASIC)
def ridge_properties(fn, ctx: CheckContext):
    rng = ctx.rng(470)
    x, y = _ridge_data(rng, 15)

    def shapes():
        for degree in (0, 1, 7):
            _call_ridge(fn, x, y, degree, 0.5)

    def huge_lam():
        c = _call_ridge(fn, x, y, 6, 1e8)
        c0 = ref.fit_polynomial_ridge(x, y, 6, 0.0)
        if not np.linalg.norm(c) <= 1e-5 * np.linalg.norm(c0):
            raise Failure("coefficients close to 0 for lam = 1e8 (the penalty dominates)", fmt(c),
                          "lam must multiply the identity added to A.T @ A: " + RIDGE_RULE)

    yield ctx.run("shape (degree + 1,) for degree 0, 1 and 7", shapes)
    yield ctx.run("a huge lam (1e8) pulls every coefficient to about 0", huge_lam)

    def shrinks(a):
        c1 = _call_ridge(fn, a["x"], a["y"], a["degree"], a["lam"])
        c2 = _call_ridge(fn, a["x"], a["y"], a["degree"], a["larger lam"])
        n1, n2 = float(np.linalg.norm(c1)), float(np.linalg.norm(c2))
        if not n2 <= n1 * (1 + 1e-7) + 1e-12:
            raise Failure(f"||c|| for lam = {a['larger lam']:g} at most ||c|| for lam = {a['lam']:g} ({n1:.6g})",
                          f"{n2:.6g}", "a larger lam penalizes sum(c**2) more: " + RIDGE_RULE)

    def unmodified(a):
        require_callable(fn, RIDGE)
        require_unmodified(lambda x, y: fn(x, y, a["degree"], a["lam"]), {"x": a["x"], "y": a["y"]},
                           "work on new arrays")

    props = {"a larger lam never gives a larger coefficient norm ||c||": shrinks,
             "x and y are left unmodified": unmodified}
    if not callable(fn):
        yield not_a_function(ctx, fn, RIDGE, len(props))
        return
    yield from each_holds_for_all(ctx, _ridge_examples(), props)
