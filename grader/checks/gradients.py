"""Checks of gradients.ipynb (see course.yaml for the cells that use them):
`eval_numerical_gradient(f, x, h=1e-5)`, `rel_error(x, y)`,
`grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None)`. The notebook's questions
(finite differences, the cost of numerical gradients, kinks) are in questions.py's table.

Each check calls only the answer it grades; expected values come from known analytic gradients and
from the trusted reference in `grader.reference.gradients`.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..numerics import relative_error, values_close
from ..course_model import Param
from ..outcome import CheckContext, Failure
from ..reference import gradients as ref
from .arrays import FORGOT_RETURN, returned_array, returned_number
from .calls import require_callable
from .closeness import close
from .mistakes import matching_mistake
from .problems import brief, fmt
from .properties import each_holds_for_all, finite_floats
from .registry import BasicCase, check
from .unmodified import require_unmodified

def _show(a) -> str:
    """An array as the student would print it, small entries in e-notation rather than rounded to 0."""
    a = np.asarray(a, dtype=np.float64)
    finite = a[np.isfinite(a) & (a != 0)]
    if finite.size and (np.min(np.abs(finite)) < 1e-3 or np.max(np.abs(finite)) >= 1e5):
        return np.array2string(a, separator=", ", max_line_width=100, formatter={"float_kind": lambda v: f"{v:.3g}"})
    return fmt(a)


RESTORE = ("save old_value = x[ix] before perturbing and put it back with x[ix] = old_value "
           "once f(x + h) and f(x - h) are evaluated")


# ================================================================================================
# eval_numerical_gradient(f, x, h=1e-5) -> array of x's shape
# ================================================================================================

def _as_gradient(out, shape: tuple[int, ...]) -> np.ndarray:
    def shape_cause(got: tuple) -> str:
        if math.prod(got) == math.prod(shape):
            return ("the gradient comes back flattened (or reshaped): give it x's shape, e.g. fill "
                    "grad = np.zeros(x.shape) with multi-indices ix (np.nditer's multi_index or np.ndindex)")
        return ("the gradient has one entry per entry of x: grad = np.zeros(x.shape), "
                "then grad[ix] = ... for every index ix")

    return returned_array(out, shape, "the gradient", expected=f"a gradient of shape {shape} (the shape of x)",
                          none_cause="did you forget `return grad`?", shape_cause=shape_cause, show_value=True,
                          keep_dtype=True, integer_cause="an integer array truncates every partial derivative: "
                                                         "grad = np.zeros(x.shape) is float")


def _numgrad(fn, f, x: np.ndarray, h: float | None = None) -> np.ndarray:
    """The student's gradient of f at a copy of x (h left to its default when None)."""
    require_callable(fn, "eval_numerical_gradient")
    x = x.copy()
    out = fn(f, x) if h is None else fn(f, x, h=h)
    return _as_gradient(out, x.shape)


def _numgrad_cause(f, x: np.ndarray, h: float, got: np.ndarray) -> str:
    """The known mistake whose result `got` equals, if any."""
    centered = ref.eval_numerical_gradient(f, x.copy(), h)
    candidates = [
        (ref.one_sided_gradient(f, x, h, forward=True),
         "forward differences (f(x + h) - f(x)) / h: their error is O(h); use centered differences "
         "(f(x + h) - f(x - h)) / (2h), whose error is O(h^2)"),
        (ref.one_sided_gradient(f, x, h, forward=False),
         "backward differences (f(x) - f(x - h)) / h: use centered differences (f(x + h) - f(x - h)) / (2h)"),
        (2 * centered, "the difference is divided by h: f(x + h) and f(x - h) are 2h apart, so divide by 2 * h"),
        (centered * h * h, "`/ 2 * h` divides by 2 and then multiplies by h: write `/ (2 * h)`"),
        (centered / 2, "the difference is divided by 4h: f(x + h) and f(x - h) are 2h apart, so divide by 2 * h"),
        (-centered, "the difference has the wrong sign: f(x + h) - f(x - h), in this order"),
    ]
    for leave, where in ((h, "old_value + h"), (-h, "old_value - h")):
        candidates.append((_drifting_gradient(f, x, h, leave),
                           f"each entry is left at {where} after its differences, so the next entries are "
                           f"evaluated at a shifted x: {RESTORE}"))
    if h != 1e-5:
        candidates.append((ref.eval_numerical_gradient(f, x.copy(), 1e-5),
                           f"the step h = {h:g} passed in is ignored (1e-5 is used): use the h argument"))
    cause = matching_mistake(got, centered, candidates, lambda a, b: relative_error(a, b) <= 1e-8,
                             correct=lambda a, b: relative_error(a, b) <= 1e-6)
    if cause:
        return cause
    if not np.any(got):
        return "the gradient is all zeros: is grad[ix] assigned for every index, from f evaluated at the perturbed x?"
    return "grad[ix] = (f(x + h e_ix) - f(x - h e_ix)) / (2h): perturb one entry at a time"


def _drifting_gradient(f, x: np.ndarray, h: float, leave: float) -> np.ndarray:
    """Centered differences that leave each entry at old_value + leave instead of restoring it."""
    x = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros(x.shape)
    for ix in np.ndindex(x.shape):
        old = x[ix]
        x[ix] = old + h
        plus = float(f(x))
        x[ix] = old - h
        minus = float(f(x))
        x[ix] = old + leave
        grad[ix] = (plus - minus) / (2 * h)
    return grad


def _cubic(c: np.ndarray):
    return lambda w: float(np.sum(c * w ** 3))


@check("numerical_gradient_values", params={
    "max_rel_error": Param("number", None, "the relative error a centered-difference answer must stay within; "
                                           "default: the course's gradient_rel_error"),
})
def numerical_gradient_values(fn, ctx: CheckContext):
    rng = ctx.rng(301)
    tol = float(ctx.params.get("max_rel_error", ctx.tol.gradient_rel_error))
    A = rng.uniform(0.5, 2.0, 6)
    x1 = rng.uniform(0.5, 2.0, 6) * rng.choice([-1.0, 1.0], 6)
    M = rng.standard_normal((3, 4))
    W2 = rng.standard_normal((4, 3))
    M3 = rng.standard_normal((5, 4))
    W3 = rng.standard_normal((3, 5))
    c4 = rng.uniform(0.5, 2.0, (2, 3, 2))
    x4 = rng.uniform(0.5, 2.0, (2, 3, 2)) * rng.choice([-1.0, 1.0], (2, 3, 2))
    cases = [
        ("f(x) = sum(A * x * x), x of shape (6,): gradient 2 * A * x",
         lambda w: float(np.sum(A * w * w)), x1, 2 * A * x1),
        ("f(W) = trace(W @ M), W of shape (4, 3): gradient M.T",
         lambda w: float(np.trace(w @ M)), W2, M.T),
        ("f(W) = sum((W @ M) ** 2), W of shape (3, 5): gradient 2 * W @ M @ M.T",
         lambda w: float(np.sum((w @ M3) ** 2)), W3, 2 * W3 @ M3 @ M3.T),
        ("f(x) = sum(c * x ** 3), x of shape (2, 3, 2): gradient 3 * c * x ** 2",
         _cubic(c4), x4, 3 * c4 * x4 ** 2),
    ]

    def case(f, x, true):
        def body():
            got = _numgrad(fn, f, x)
            err = relative_error(got, true)
            if not err <= tol:
                raise Failure(f"{_show(true)} (relative error <= {tol:g})", f"{_show(got)} (relative error {err:.2g})",
                              _numgrad_cause(f, x, 1e-5, got))
        return body

    for what, f, x, true in cases:
        yield ctx.run(f"the gradient of {what}", case(f, x, true))


# The basic case of eval_numerical_gradient: the slope of a linear f, up to a factor. Forward differences,
# a wrong factor or sign (/ h, / 2 * h, f(x - h) - f(x + h)) and an x left unrestored all pass it, so those
# slips keep the credit the in-place and centered cells give them; an answer that never takes a
# difference of f (zeros, x, f(x), random numbers) fails it.
LINEAR_A = np.array([1.0, -2.0, 3.0, 0.5])
LINEAR_X = np.array([0.7, 1.2, -0.4, 2.0])


def _numgrad_basic(fn, ctx: CheckContext) -> None:
    require_callable(fn, "eval_numerical_gradient")
    a = LINEAR_A
    f = lambda w: float(np.sum(a * w))  # noqa: E731
    got = _numgrad(fn, f, LINEAR_X)
    k = float(got @ a) / float(a @ a)
    if k != 0 and math.isfinite(k) and np.linalg.norm(got - k * a) <= 1e-6 * abs(k) * np.linalg.norm(a):
        return
    if not np.any(got):
        cause = ("the gradient is all zeros: grad[ix] = (f(x + h e_ix) - f(x - h e_ix)) / (2h) for every index ix, "
                 "with f evaluated at the perturbed x")
    elif np.array_equal(got, LINEAR_X):
        cause = "the gradient is x itself: it is the slope of f, (f(x + h e_ix) - f(x - h e_ix)) / (2h) at every ix"
    elif np.all(got == got.flat[0]):
        cause = ("every entry is the same number" + (", f(x)" if got.flat[0] == f(LINEAR_X) else "")
                 + ": each entry is its own difference quotient, (f(x + h e_ix) - f(x - h e_ix)) / (2h)")
    else:
        cause = _numgrad_cause(f, LINEAR_X, 1e-5, got)
    raise Failure(f"a multiple of a = {_show(a)} (the gradient a itself; a factor is graded by the other cells)",
                  _show(got), cause)


NUMGRAD_BASIC = BasicCase("the gradient of the linear f(x) = sum(a * x), a = [1, -2, 3, 0.5], points along a",
                          _numgrad_basic)


class _Recorder:
    """f(w) = sum(c * w**3) that records, at every call, which entries of w differ from x0 and how."""

    def __init__(self, c: np.ndarray, x0: np.ndarray):
        self.c, self.x0 = c, x0.copy()
        self.calls: list[tuple[tuple[int, ...], tuple[float, ...]]] = []

    def __call__(self, w) -> float:
        w = np.asarray(w, dtype=np.float64)
        if w.shape != self.x0.shape:
            raise Failure(f"f to be called with arrays of x's shape {self.x0.shape}", f"shape {w.shape}",
                          "call f with the whole (perturbed) x, not with one entry")
        moved = np.flatnonzero(w != self.x0)
        self.calls.append((tuple(int(i) for i in moved), tuple(float(d) for d in (w - self.x0).ravel()[moved])))
        return float(np.sum(self.c * w ** 3))

    @property
    def perturbed(self) -> list[tuple[int, ...]]:
        return [idx for idx, _ in self.calls if idx]


def _x_changed_cause(x: np.ndarray, x0: np.ndarray, h: float) -> str:
    if np.allclose(x, x0 + h, rtol=0, atol=1e-9 * h):
        return f"every entry is left at old_value + h: {RESTORE}"
    if np.allclose(x, x0 - h, rtol=0, atol=1e-9 * h):
        return f"every entry is left at old_value - h: {RESTORE}"
    if np.allclose(x, x0, rtol=1e-12, atol=0):
        return ("x is back to within rounding, not exactly: adding and subtracting h loses the last digits; "
                + RESTORE)
    return f"x must be exactly as it was when the function returns: {RESTORE}"


@check("numerical_gradient_in_place", basic=NUMGRAD_BASIC)
def numerical_gradient_in_place(fn, ctx: CheckContext):
    rng = ctx.rng(302)
    c = rng.uniform(0.5, 2.0, (3, 4))
    x0 = rng.uniform(0.5, 2.0, (3, 4)) * rng.choice([-1.0, 1.0], (3, 4))
    h = 1e-5

    def unchanged():
        require_callable(fn, "eval_numerical_gradient")
        x = x0.copy()
        fn(_cubic(c), x)
        if not (x.shape == x0.shape and x.dtype == x0.dtype and np.array_equal(x, x0)):
            raise Failure("x exactly as it was (every entry, bitwise)", f"x changed by {_show(x - x0)}",
                          _x_changed_cause(x, x0, h))
        # A closure that reads the very array being perturbed, like f = lambda w: loss(W, X, y, reg)[0].
        x = x0.copy()
        fn(lambda _w: float(np.sum(c * x ** 3)), x)
        if not np.array_equal(x, x0):
            raise Failure("x exactly as it was, also when f reads x through a closure",
                          f"x changed by {_show(x - x0)}", _x_changed_cause(x, x0, h))

    def one_entry_at_a_time():
        require_callable(fn, "eval_numerical_gradient")
        rec = _Recorder(c, x0)
        fn(rec, x0.copy())
        # Entries back to within rounding (the bitwise criterion above is about those) count as restored.
        calls = [tuple(zip(*[(i, v) for i, v in zip(idx, d) if abs(v) > 1e-3 * h])) or ((), ())
                 for idx, d in rec.calls]
        bad = [(idx, d) for idx, d in calls if len(idx) > 1
               or (len(idx) == 1 and not np.isclose(abs(d[0]), h, rtol=1e-6, atol=0))]
        if bad:
            idx, d = bad[0]
            entries = ", ".join(f"entry {i} moved by {v:+.3g}" for i, v in list(zip(idx, d))[:4])
            raise Failure("every call of f to see x with one entry moved by +h or -h (h = 1e-5) and every other "
                          "entry as it was", entries + (" ..." if len(idx) > 4 else ""),
                          "the previous entry was not restored before perturbing the next one: " + RESTORE
                          if len(idx) > 1 else "perturb x[ix] by exactly +h and -h")
        if not rec.perturbed:
            raise Failure("f evaluated at x with one entry moved by +h and by -h", "f never saw a perturbed x",
                          "evaluate f at the perturbed x: x[ix] = old_value + h; fxph = f(x)")

    def new_array():
        require_callable(fn, "eval_numerical_gradient")
        x = x0.copy()
        out = fn(_cubic(c), x)
        if isinstance(out, np.ndarray) and (out is x or np.shares_memory(out, x)):
            raise Failure("a new array for the gradient", "x itself (or a view of x)",
                          "store the partial derivatives in a new array, grad = np.zeros(x.shape), and return grad")
        got = _as_gradient(out, x0.shape)
        if got.dtype != np.float64:
            raise Failure("a float64 gradient", f"dtype {got.dtype}")

    yield ctx.run("x is left exactly as it was (bitwise), also when f reads x through a closure", unchanged)
    yield ctx.run("f sees x with one entry moved by +h or -h at a time, every other entry restored",
                  one_entry_at_a_time)
    yield ctx.run("returns a new float array of x's shape, not x itself", new_array)


@check("numerical_gradient_centered", basic=NUMGRAD_BASIC, params={
    "min_error_ratio": Param("number", 50.0, "how much smaller the error must get when h is 10x smaller "
                                             "(centered: ~100x, forward: ~10x)"),
})
def numerical_gradient_centered(fn, ctx: CheckContext):
    rng = ctx.rng(303)
    c = rng.uniform(0.5, 2.0, 5)
    x = rng.uniform(0.5, 2.0, 5) * rng.choice([-1.0, 1.0], 5)
    f = _cubic(c)
    true = 3 * c * x ** 2
    min_ratio = float(ctx.params.get("min_error_ratio", 50.0))

    def uses_h():
        h = 1e-2
        got = _numgrad(fn, f, x, h)
        expected = ref.eval_numerical_gradient(f, x.copy(), h)
        err = relative_error(got, expected)
        if not err <= 1e-8:
            raise Failure(f"{_show(expected)}, the centered differences with h = {h:g}", _show(got),
                          _numgrad_cause(f, x, h, got))

    def error_order():
        errors, results = [], []
        for h in (1e-2, 1e-3):
            results.append(_numgrad(fn, f, x, h))
            errors.append(float(np.max(np.abs(results[-1] - true))))
        ratio = errors[0] / errors[1] if errors[1] > 0 else math.inf
        if not ratio >= min_ratio:
            got_text = (f"errors {errors[0]:.2g} at h = 1e-2 and {errors[1]:.2g} at h = 1e-3: "
                        f"{ratio:.3g} times smaller")
            cause = _numgrad_cause(f, x, 1e-2, results[0])
            if 5 <= ratio < min_ratio and not cause.startswith("forward"):
                cause = ("an error that shrinks like h is the error of a one-sided (forward) difference: "
                         "use (f(x + h) - f(x - h)) / (2h)")
            raise Failure("an error about 100 times smaller when h is 10 times smaller (centered differences: "
                          "error O(h^2))", got_text, cause)

    def evaluations():
        require_callable(fn, "eval_numerical_gradient")
        shape = (3, 4)
        calls = []
        cc = rng.uniform(0.5, 2.0, shape)
        xx = rng.uniform(0.5, 2.0, shape)
        fn(lambda w: calls.append(1) or float(np.sum(cc * np.asarray(w) ** 3)), xx)
        n, size = len(calls), xx.size
        if n not in (2 * size, 2 * size + 1):
            if n in (size, size + 1):
                cause = ("f is evaluated once per entry: a one-sided difference. Centered differences evaluate "
                         "f(x + h) and f(x - h) for every entry")
            elif n > 2 * size + 1:
                cause = ("f is evaluated more than twice per entry: centered differences need only f(x + h) and "
                         "f(x - h) (f(x) is not needed, or evaluate it once, before the loop)")
            else:
                cause = "every entry needs exactly two evaluations, f(x + h) and f(x - h)"
            raise Failure(f"{2 * size} evaluations of f for x of shape {shape} (2 per entry; one more for f(x) "
                          "is accepted)", f"{n} evaluations", cause)

    yield ctx.run("uses the step h it is given (h = 1e-2 on f(x) = sum(c * x ** 3))", uses_h)
    yield ctx.run("the error shrinks about 100x when h shrinks 10x (centered differences: error O(h^2))",
                  error_order)
    yield ctx.run("evaluates f twice per entry of x", evaluations)


# ================================================================================================
# rel_error(x, y) -> float
# ================================================================================================

def _rel(fn, x, y) -> float:
    require_callable(fn, "rel_error")
    out = fn(np.array(x, copy=True), np.array(y, copy=True))
    return returned_number(out, "the relative error",
                           expected="one number: the largest relative error over all entries",
                           array_cause="take the maximum over all entries: np.max(...)", sequences=True,
                           number_expected="one number", none_cause=FORGOT_RETURN)


def _rel_cause(x, y, got: float) -> str:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if math.isnan(got):
        return ("0 / 0 is nan: where x and y are both 0, the denominator needs the floor "
                "np.maximum(1e-8, |x| + |y|)")
    d = np.abs(x - y)
    with np.errstate(divide="ignore", invalid="ignore"):
        candidates = [
            (np.mean(d / np.maximum(1e-8, np.abs(x) + np.abs(y))),
             "the mean over the entries: the relative error is the largest one, np.max(...)"),
            (np.max(d / np.maximum(1e-8, np.abs(x))), "the denominator must be |x| + |y| (symmetric), not |x|"),
            (np.max(d / np.maximum(1e-8, np.abs(y))), "the denominator must be |x| + |y| (symmetric), not |y|"),
            (np.max((x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))),
             "the numerator needs an absolute value: |x - y|"),
            (np.max(d / np.maximum(1e-8, np.abs(x + y))), "the denominator is |x| + |y|, not |x + y|"),
            (np.max(d) / max(1e-8, float(np.max(np.abs(x) + np.abs(y)))),
             "the ratio is taken entry by entry, then the maximum: np.max(|x - y| / np.maximum(1e-8, |x| + |y|))"),
            (np.max(d / (np.abs(x) + np.abs(y) + 1e-8)),
             "the floor is np.maximum(1e-8, |x| + |y|), not |x| + |y| + 1e-8"),
        ]
    expected = ref.rel_error(x, y)
    cause = matching_mistake(got, expected, candidates, lambda a, b: close(a, b, 1e-9, 1e-15))
    if cause:
        return cause
    return "max over entries of |x - y| / np.maximum(1e-8, |x| + |y|)"


def _expect_rel(fn, x, y, what: str = "") -> None:
    got = _rel(fn, x, y)
    expected = ref.rel_error(x, y)
    if not values_close(got, expected, 1e-9, 1e-15):
        raise Failure(f"{expected:.6g}{what}", f"{got:.6g}", _rel_cause(x, y, got))


@st.composite
def array_pairs(draw, bound: float = 100.0) -> dict:
    """{"x": array, "y": array of the same shape}: independent, nearly equal, or with shared zeros."""
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4))
    x = draw(hnp.arrays(np.float64, shape, elements=finite_floats(bound)))
    kind = draw(st.sampled_from(["independent", "close", "zeros"]))
    if kind == "independent":
        y = draw(hnp.arrays(np.float64, shape, elements=finite_floats(bound)))
    elif kind == "close":
        rel = draw(hnp.arrays(np.float64, shape, elements=st.floats(-1e-3, 1e-3, allow_subnormal=False)))
        y = x * (1.0 + rel)
    else:
        y = draw(hnp.arrays(np.float64, shape, elements=finite_floats(bound)))
        mask = draw(hnp.arrays(np.bool_, shape))
        x, y = np.where(mask, 0.0, x), np.where(mask, 0.0, y)
    return {"x": x, "y": y}


def _rel_basic(fn, ctx: CheckContext) -> None:
    """0 for two equal arrays, more than 0 for two different ones: what makes it an error measure. Lenient
    on the formula, which the values cell grades (an asymmetric or unfloored denominator, the mean, a
    missing max on one entry all pass), so those slips keep the credit of the properties they satisfy;
    an answer that ignores x and y cannot tell equal arrays from different ones."""
    x, y = np.array([5.0]), np.array([3.0])
    same = _rel(fn, x, x.copy())
    differ = _rel(fn, x, y)
    if same == 0 and differ > 0:
        return
    if same != 0 and differ != 0 and same == differ:
        cause = "the same number for equal and for different arrays: compute it from x and y, "
    elif same != 0:
        cause = "equal arrays have no error: |x - x| = 0, so "
    else:
        cause = "different arrays have an error: "
    raise Failure("0 for x = y = [5], and more than 0 (0.25) for x = [5], y = [3]",
                  f"{same:.6g} and {differ:.6g}", cause + "max over entries of |x - y| / np.maximum(1e-8, |x| + |y|)")


REL_BASIC = BasicCase("rel_error is 0 for two equal arrays and more than 0 for two different ones", _rel_basic)


# Every criterion of the values cell is itself a value check that an answer ignoring x and y fails.
@check("rel_error_values")
def rel_error_values(fn, ctx: CheckContext):
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    y = np.array([[1.1, -2.0], [-0.5, 3.0]])
    g = np.array([0.25, -1.5, 3.0, 1e-3])
    g2 = g * np.array([1.0 + 1e-7, 1.0, 1.0 - 2e-7, 1.0 + 3e-6])

    def worked_examples():
        _expect_rel(fn, x, y, " for x = [[1, -2], [0.5, 3]], y = [[1.1, -2], [-0.5, 3]] (the entry 0.5 vs -0.5: 1)")
        _expect_rel(fn, g, g2, " for two nearly equal gradients")

    yield ctx.run("the largest entry-wise relative error on worked examples", worked_examples)
    yield from each_holds_for_all(ctx, array_pairs(), {
        "max over entries of |x - y| / max(1e-8, |x| + |y|) on random arrays":
            lambda a: _expect_rel(fn, a["x"], a["y"]),
    })


@check("rel_error_properties", basic=REL_BASIC)
def rel_error_properties(fn, ctx: CheckContext):
    def floor():
        zeros = np.zeros(3)
        got = _rel(fn, zeros, zeros)
        if not got == 0.0:
            raise Failure("0 for x = y = [0, 0, 0]", f"{got:.6g}", _rel_cause(zeros, zeros, got))
        tiny = np.array([1e-10, 0.0, 0.0])
        got = _rel(fn, tiny, zeros)
        if not values_close(got, 0.01, 1e-9):
            raise Failure("0.01 for x = [1e-10, 0, 0], y = [0, 0, 0]: 1e-10 / max(1e-8, 1e-10)", f"{got:.6g}",
                          _rel_cause(tiny, zeros, got))

    def symmetric(a):
        one, other = _rel(fn, a["x"], a["y"]), _rel(fn, a["y"], a["x"])
        if not values_close(one, other, 1e-12, 0.0):
            raise Failure("rel_error(x, y) == rel_error(y, x)", f"{one:.6g} and {other:.6g}",
                          "the denominator must be symmetric in x and y: |x| + |y|")

    def zero_for_equal(a):
        got = _rel(fn, a["x"], a["x"])
        if not got == 0.0:
            raise Failure("0 for x == y", f"{got:.6g}", _rel_cause(a["x"], a["x"], got))

    def between_0_and_1(a):
        got = _rel(fn, a["x"], a["y"])
        if not 0.0 <= got <= 1.0:
            raise Failure("a number between 0 and 1 (|x - y| <= |x| + |y|)", f"{got:.6g}",
                          _rel_cause(a["x"], a["y"], got))

    def unmodified(a):
        require_callable(fn, "rel_error")
        require_unmodified(fn, {"x": a["x"], "y": a["y"]}, "compute on new arrays")

    yield ctx.run("the 1e-8 floor: 0 for two zero arrays, 0.01 for 1e-10 against 0", floor)
    yield from each_holds_for_all(ctx, array_pairs(), {
        "symmetric: rel_error(x, y) == rel_error(y, x)": symmetric,
        "0 when x == y (zeros included)": zero_for_equal,
        "between 0 and 1": between_0_and_1,
        "x and y are left unmodified": unmodified,
    })


# ================================================================================================
# grad_check_sparse(f, x, analytic_grad, num_checks=10, h=1e-5, seed=None) -> num_checks errors
# ================================================================================================

GCS_SHAPE = (20, 10)


def _gcs_problem(ctx: CheckContext, salt: int):
    rng = ctx.rng(salt)
    c = rng.uniform(0.5, 2.0, GCS_SHAPE)
    x = rng.uniform(0.5, 2.0, GCS_SHAPE) * rng.choice([-1.0, 1.0], GCS_SHAPE)
    return rng, c, x


def _gcs(fn, f, x, analytic, num_checks: int, seed) -> np.ndarray:
    require_callable(fn, "grad_check_sparse")
    out = fn(f, x, analytic.copy(), num_checks=num_checks, seed=seed)
    what = f"a list (or 1-D array) of the {num_checks} relative errors it measured"
    if out is None:
        raise Failure(what, "None", "return the list of relative errors, one per checked entry")
    if np.ndim(out) == 0:
        raise Failure(what, f"one number {brief(out, 40)}",
                      "return every error it measured (a list of num_checks numbers), not their mean or maximum")
    try:
        arr = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        raise Failure(what, f"{type(out).__name__} {brief(out, 60)}") from None
    if arr.ndim != 1 or arr.size != num_checks:
        raise Failure(what, f"shape {arr.shape}", "one relative error per checked entry: num_checks of them")
    return arr


def _gcs_basic(fn, ctx: CheckContext) -> None:
    """Errors near 0 for the correct analytic gradient and near 0.5 for three times it. Lenient on what
    the other criteria grade (forward differences, the sign of the error, which entries, restoring x),
    so those slips keep their credit; errors that do not come from comparing f's slope with
    analytic_grad (zeros, a constant, the gradient's entries, random numbers) fail."""
    rng = ctx.rng(310)
    shape = (4, 3)
    c = rng.uniform(0.5, 2.0, shape)
    x0 = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    f, true = _cubic(c), 3 * c * x0 ** 2
    right = _gcs(fn, f, x0.copy(), true, 5, 0)
    wrong = _gcs(fn, f, x0.copy(), 3 * true, 5, 0)
    if np.all(np.abs(right) < 1e-3) and np.all(np.abs(np.abs(wrong) - 0.5) < 1e-3):
        return
    if not np.any(right) and not np.any(wrong):
        cause = "every error is 0, even for a gradient three times too large: "
    elif np.array_equal(right, wrong):
        cause = "the errors are the same for a right and a wrong analytic gradient: they must compare the two: "
    elif np.all(np.isin(right, true)):
        cause = "the errors are entries of analytic_grad itself: "
    else:
        cause = ""
    raise Failure("5 errors below 1e-3 for the correct analytic gradient 3 * c * x ** 2, and 5 errors of 0.5 for "
                  "three times it (|n - 3n| / (|n| + |3n|))", f"{_show(right)} and {_show(wrong)}",
                  cause + "at each checked entry ix, n = (f(x + h) - f(x - h)) / (2h) and the error is "
                          "|n - a| / (|n| + |a|) with a = analytic_grad[ix]")


GCS_BASIC = BasicCase("errors near 0 for a correct analytic gradient and near 0.5 for one three times too large "
                      "(x of shape (4, 3), num_checks = 5)", _gcs_basic)


def _one_sided_errors(f, x0: np.ndarray, true: np.ndarray, got: np.ndarray) -> bool:
    """Every error the answer returned is the error of a forward (or backward) difference at some entry."""
    for forward in (True, False):
        n = ref.one_sided_gradient(f, x0, 1e-5, forward=forward).ravel()
        per_entry = np.abs(n - true.ravel()) / (np.abs(n) + np.abs(true.ravel()))
        if all(np.min(np.abs(per_entry - e)) <= 1e-6 * e for e in got):
            return True
    return False


@check("grad_check_sparse_errors", basic=GCS_BASIC, params={
    "correct_max_error": Param("number", 1e-7, "the largest relative error a correct analytic gradient may show"),
})
def grad_check_sparse_errors(fn, ctx: CheckContext):
    rng, c, x0 = _gcs_problem(ctx, 311)
    f = _cubic(c)
    true = 3 * c * x0 ** 2
    # Wrong by a different factor (1.1 to 4) at every entry: every entry has its own relative error.
    factor = 1.0 + rng.permutation(np.linspace(0.1, 3.0, x0.size)).reshape(GCS_SHAPE)
    wrong = true * factor
    tiny = float(ctx.params.get("correct_max_error", 1e-7))

    def count():
        got = _gcs(fn, f, x0.copy(), true, 7, 1)
        if not (np.all(np.isfinite(got)) and np.all(got >= 0)):
            raise Failure("7 relative errors, each >= 0", _show(got), "|n - a| / (|n| + |a|) is never negative")

    def correct_is_tiny():
        got = _gcs(fn, f, x0.copy(), true, 10, 2)
        if not np.all(got < tiny):
            cause = ("n = (f(x + h) - f(x - h)) / (2h) at the entry, a = analytic_grad[ix], "
                     "error |n - a| / (|n| + |a|)")
            if _one_sided_errors(f, x0, true, got):
                cause = ("errors of the order of h = 1e-5 are those of a one-sided (forward) difference; the centered "
                         "difference (f(x + h) - f(x - h)) / (2h) is accurate to about 1e-10 here")
            raise Failure(f"every error < {tiny:g} for the correct analytic gradient 3 * c * x ** 2", _show(got), cause)

    def wrong_is_flagged():
        x = x0.copy()
        numeric = ref.eval_numerical_gradient(f, x0.copy())
        per_entry = np.array([ref.pointwise_error(n, a) for n, a in zip(numeric.ravel(), wrong.ravel())])
        got = _gcs(fn, f, x, wrong, 10, 3)
        for e in got:
            nearest = per_entry[np.argmin(np.abs(per_entry - e))]
            if not abs(e - nearest) <= 1e-8:
                cause = "the error at an entry is |n - a| / (|n| + |a|), with n = (f(x + h) - f(x - h)) / (2h)"
                if e < 0:
                    cause = "the error needs absolute values: |n - a| / (|n| + |a|)"
                raise Failure("each error equal to |n - a| / (|n| + |a|) at one of the entries "
                              f"(here between {per_entry.min():.3g} and {per_entry.max():.3g})",
                              _show(got), cause)

    yield ctx.run("returns num_checks relative errors (a list or 1-D array)", count)
    yield ctx.run("a correct analytic gradient gives tiny errors", correct_is_tiny)
    yield ctx.run("a wrong analytic gradient (off by 10% to 300%) is flagged: each error is |n - a| / (|n| + |a|) "
                  "at some entry", wrong_is_flagged, weight=2)


@check("grad_check_sparse_sampling", basic=GCS_BASIC)
def grad_check_sparse_sampling(fn, ctx: CheckContext):
    _, c, x0 = _gcs_problem(ctx, 312)
    true = 3 * c * x0 ** 2

    def entries(seed, num_checks=10) -> list[tuple[int, ...]]:
        rec = _Recorder(c, x0)
        _gcs(fn, rec, x0.copy(), true, num_checks, seed)
        return rec.perturbed

    def same_seed():
        first, again = entries(7), entries(7)
        if first != again:
            raise Failure("the same entries for the same seed", "different entries in two calls with seed=7",
                          "draw the entries with rng = np.random.default_rng(seed), not np.random.* or a fixed seed")

    def different_seeds():
        seen = [entries(s) for s in (0, 1, 2, 3)]
        if all(s == seen[0] for s in seen):
            raise Failure("other entries for other seeds", "the same entries for seeds 0, 1, 2 and 3",
                          "draw the entries with rng = np.random.default_rng(seed)")

    def spread():
        checked = {i for idx in entries(11) for i in idx}
        if len(checked) < 5:
            raise Failure("about 10 different entries of x (20 x 10) for num_checks=10",
                          f"{len(checked)} different entries: {sorted(checked)[:10]}",
                          "draw a random index for every check: ix = tuple(rng.integers(m) for m in x.shape)")

    def unchanged():
        x = x0.copy()
        _gcs(fn, _cubic(c), x, true, 10, 5)
        if not np.array_equal(x, x0):
            raise Failure("x exactly as it was (every entry, bitwise)", "x changed",
                          _x_changed_cause(x, x0, 1e-5))

    yield ctx.run("the same seed checks the same entries", same_seed)
    yield ctx.run("different seeds check different entries", different_seeds)
    yield ctx.run("checks num_checks random entries, not the same one", spread)
    yield ctx.run("x is left exactly as it was", unchanged)
