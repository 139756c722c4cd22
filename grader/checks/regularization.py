"""Checks of regularization.ipynb: the L2, L1 and elastic-net regularizers `(W, reg) -> (R, dR)`,
`regularized_loss`, and the ridge polynomial fit. The lecture's w1 / w2 questions are in questions.py's
table.

Each check calls only the student's function it grades. The regularized-loss checks hand it trusted
data losses and regularizers from `grader.reference`; the elastic-net checks let the student's function
call `l1_regularization` / `l2_regularization`, but those names resolve to the references while it is
graded, so a mistake in the student's L1 or L2 costs points once, on L1 or L2.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..numerics import numerical_gradient, relative_error
from ..outcome import CheckContext, Failure
from ..reference import losses as ref_losses
from ..reference import regularization as ref
from .arrays import returned_array
from .calls import require_callable, trusted_names
from .closeness import close
from .mistakes import matching_mistake
from .problems import brief, fmt
from .properties import each_holds_for_all, finite_floats, float_arrays, regs
from .registry import BasicCase, check
from .unmodified import require_unmodified

# -- validating what comes back ---------------------------------------------------------------------


def _scalar(value, what: str) -> float:
    if isinstance(value, np.ndarray) and value.size != 1:
        raise Failure(f"{what} as one number", f"an array of shape {value.shape}",
                      "R is one number: sum over every entry of W (np.sum without an axis)" if what == "R" else
                      f"{what} is one number: the data loss (a number) plus the penalty R (a number)")
    try:
        return float(np.asarray(value, dtype=np.float64).reshape(()))
    except (TypeError, ValueError):
        raise Failure(f"{what} as a number", f"{type(value).__name__} {brief(value, 60)}") from None


def _array(value, shape: tuple[int, ...], what: str, cause: str) -> np.ndarray:
    return returned_array(value, shape, what, none_cause=f"did you forget to return {what}?",
                          shape_cause=cause, transposed=True)


def _pair(out, first: str, second: str, shape: tuple[int, ...]) -> tuple[float, np.ndarray]:
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise Failure(f"a tuple ({first}, {second})", f"{type(out).__name__} {brief(out, 60)}",
                      f"return both the value and its gradient: `return {first}, {second}`")
    return _scalar(out[0], first), _array(out[1], shape, second, f"{second} has one entry per weight: the shape of W")


def _compact(a: np.ndarray) -> str:
    """A small array on one line (feedback lines stay readable); nothing for a large one."""
    return "; dR = " + " ".join(fmt(a).split()) if a.size <= 12 else ""


def _close(got: float, want: float, rel: float = 1e-6) -> bool:
    """Two values of a penalty or a loss: equal up to `rel` (by default course.yaml's value_rel_error)."""
    return close(got, want, rel, 1e-9)


def _grad_close(got: np.ndarray, want: np.ndarray, rel: float = 1e-6) -> bool:
    # The absolute floor keeps underflow in tiny weights (Hypothesis draws them) from counting as a difference.
    return relative_error(got, want) <= rel or float(np.max(np.abs(np.subtract(got, want)), initial=0.0)) <= 1e-12


def _cause_of(got, expected, candidates, scalar: bool) -> str:
    """The cause of the first candidate mistake that reproduces `got` (and differs from `expected`)."""
    if scalar:
        with np.errstate(all="ignore"):
            candidates = [(float(candidate), cause) for candidate, cause in candidates]
    return matching_mistake(got, expected, candidates, _close if scalar else (lambda a, b: _grad_close(a, b, 1e-9)))


# -- the three regularizers ----------------------------------------------------------------------


@dataclass(frozen=True)
class Regularizer:
    key: str                      # "l2" or "l1": check names are "<key>_<aspect>"
    name: str                     # the student's function
    formula: str
    gradient: str
    reference: Callable
    value_causes: Callable        # (W, reg) -> [(R candidate, cause)]
    gradient_causes: Callable     # (W, reg) -> [(dR candidate, cause)]
    scaled: Callable              # c -> the factor R(cW) / R(W)
    scaled_text: str


def _l2_value_causes(W, reg):
    S = float(np.sum(W * W))
    return [
        (reg * math.sqrt(S), "R is reg times the norm ||W||; L2 regularization is the *squared* norm: "
                             "reg * np.sum(W * W), no square root"),
        (S, "the regularization strength is missing: R = reg * np.sum(W * W)"),
        (reg * float(np.sum(W)), "the entries must be squared: R = reg * np.sum(W * W) (a plain sum of W can "
                                 "even be negative)"),
        (0.5 * reg * S, "this course's convention is R = reg * np.sum(W * W), without a factor 0.5 "
                        "(its gradient is then 2 * reg * W)"),
        (reg * float(np.sum(np.abs(W))), "that is the L1 penalty; L2 sums the squares: reg * np.sum(W * W)"),
        (reg * reg * S, "reg is squared: R = reg * np.sum(W * W)"),
    ]


def _l2_gradient_causes(W, reg):
    return [
        (reg * W, "the regularization gradient is reg * W; the derivative of reg * sum(W * W) is 2 * reg * W"),
        (2 * W, "the regularization strength is missing from dR: dR = 2 * reg * W"),
        (-2 * reg * W, "the gradient has the wrong sign: dR = +2 * reg * W (the penalty grows with |W|)"),
        (reg * np.sign(W), "that is the L1 (sub)gradient; the L2 gradient is 2 * reg * W"),
        (W, "dR is W itself: the derivative of reg * sum(W * W) is 2 * reg * W"),
    ]


def _l1_value_causes(W, reg):
    return [
        (reg * float(np.sum(W)), "the absolute value is missing: R = reg * np.sum(np.abs(W)); negative weights "
                                 "must cost too"),
        (float(np.sum(np.abs(W))), "the regularization strength is missing: R = reg * np.sum(np.abs(W))"),
        (reg * float(np.sum(W * W)), "that is the L2 penalty; L1 sums the absolute values: reg * np.sum(np.abs(W))"),
        (reg * float(np.linalg.norm(W)), "that is reg times the Euclidean norm ||W||; L1 is the sum of the "
                                         "absolute values, reg * np.sum(np.abs(W))"),
        (reg * float(np.abs(np.sum(W))), "that is |sum of W|; L1 sums the absolute value of every entry: "
                                         "reg * np.sum(np.abs(W))"),
    ]


ZERO_SUBGRADIENT = ("|w| has a kink at w = 0; this course takes the subgradient there as 0, as the docstring says: "
                    "np.sign(0) = 0, so dR = reg * np.sign(W)")


def _l1_gradient_causes(W, reg):
    return [
        (reg * W, "the gradient of |w| is sign(w) (+1 or -1), not w: dR = reg * np.sign(W)"),
        (np.sign(W), "the regularization strength is missing from dR: dR = reg * np.sign(W)"),
        (-reg * np.sign(W), "the gradient has the wrong sign: dR = +reg * np.sign(W) (the penalty grows with |w|)"),
        (reg * np.ones_like(W), "the derivative of |w| is -1 for negative w: dR = reg * np.sign(W), not reg"),
        (reg * np.where(W >= 0, 1.0, -1.0), ZERO_SUBGRADIENT),
        (reg * np.where(W > 0, 1.0, -1.0), ZERO_SUBGRADIENT),
        (2 * reg * W, "that is the L2 gradient; the L1 (sub)gradient is reg * np.sign(W)"),
        (reg * np.abs(W), "the derivative of |w| is sign(w), not |w|: dR = reg * np.sign(W)"),
    ]


L2 = Regularizer("l2", "l2_regularization", "reg * np.sum(W * W)", "2 * reg * W", ref.l2,
                 _l2_value_causes, _l2_gradient_causes, lambda c: c * c, "c^2 R(W)")
L1 = Regularizer("l1", "l1_regularization", "reg * np.sum(np.abs(W))", "reg * np.sign(W)", ref.l1,
                 _l1_value_causes, _l1_gradient_causes, abs, "|c| R(W)")


def _call_regularizer(fn, name: str, W: np.ndarray, reg: float, *extra) -> tuple[float, np.ndarray]:
    require_callable(fn, name)
    out = fn(np.array(W, dtype=np.float64, copy=True), reg, *extra)
    return _pair(out, "R", "dR", W.shape)


def _where(W, reg) -> str:
    return f"W of shape {W.shape}, reg = {reg:g}"


def _expect_value(kind: Regularizer, fn, W, reg) -> None:
    R, _ = _call_regularizer(fn, kind.name, W, reg)
    expected, _ = kind.reference(W, reg)
    if not _close(R, expected):
        raise Failure(f"R = {kind.formula} = {expected:.6g} ({_where(W, reg)})", f"{R:.6g}",
                      _cause_of(R, expected, kind.value_causes(W, reg), True) or f"R = {kind.formula}")


def _expect_gradient(kind: Regularizer, ctx: CheckContext, fn, W, reg, numeric: bool = True) -> None:
    _, dR = _call_regularizer(fn, kind.name, W, reg)
    expected = kind.reference(W, reg)[1]
    if numeric:
        target = numerical_gradient(lambda w: kind.reference(w, reg)[0], W)
        what = "the centered-difference gradient of R"
    else:
        target = expected
        what = kind.gradient
    err = relative_error(dR, target)
    if not err <= ctx.tol.gradient_rel_error:
        raise Failure(f"dR within relative error {ctx.tol.gradient_rel_error:g} of {what} ({_where(W, reg)})",
                      f"relative error {err:.3g}{_compact(dR)}",
                      _cause_of(dR, expected, kind.gradient_causes(W, reg), False) or f"dR = {kind.gradient}")


def _away_from_zero(W: np.ndarray, gap: float = 0.05) -> np.ndarray:
    """The same signs, every |w| >= gap: centered differences never straddle the kink of |w|."""
    return np.where(W >= 0, 1.0, -1.0) * np.maximum(np.abs(W), gap)


def regularizer_values(kind: Regularizer):
    def run(fn, ctx: CheckContext):
        rng = ctx.rng(400)
        W = rng.standard_normal((5, 4))
        cases = [
            ("R matches the reference (W (5, 4), reg = 0.3)", W, 0.3),
            ("R for weights of mixed signs, one class per column (W (3, 10), reg = 2.5)",
             rng.standard_normal((3, 10)) * 2, 2.5),
        ]
        if kind is L2:
            cases.append(("the lecture's w1 = [1, 0, 0, 0] and w2 = [0.25] * 4 (reg = 1): R = 1 and 0.25",
                          np.array([[1.0, 0.0, 0.0, 0.0], [0.25, 0.25, 0.25, 0.25]]), None))
        else:
            cases.append(("R of 1-D weights with exact zeros (reg = 0.7)",
                          np.array([0.0, -1.5, 0.0, 2.0, -0.25, 0.0]), 0.7))

        def returns():
            _call_regularizer(fn, kind.name, rng.standard_normal((4, 3)), 0.1)

        yield ctx.run("returns (R, dR): a number and an array shaped like W", returns)
        for checked, W_case, reg in cases:
            if reg is None:   # the lecture's two vectors, one call each
                body = lambda Ws=W_case: [_expect_value(kind, fn, w, 1.0) for w in Ws]  # noqa: E731
            else:
                body = lambda W_case=W_case, reg=reg: _expect_value(kind, fn, W_case, reg)  # noqa: E731
            yield ctx.run(checked, body)
    return run


def regularizer_gradient(kind: Regularizer):
    def run(fn, ctx: CheckContext):
        rng = ctx.rng(410)
        W2 = _away_from_zero(rng.standard_normal((5, 4)))
        W1 = _away_from_zero(rng.standard_normal(7) * 3)
        yield ctx.run("dR against centered differences of R (W (5, 4), reg = 0.3)",
                      lambda: _expect_gradient(kind, ctx, fn, W2, 0.3))
        yield ctx.run("dR against centered differences of R for 1-D weights (reg = 1.7)",
                      lambda: _expect_gradient(kind, ctx, fn, W1, 1.7))
        if kind is L2:
            W3 = rng.standard_normal((3, 7)) * 10
            yield ctx.run(f"dR = {kind.gradient} for large weights and a small reg (reg = 1e-3)",
                          lambda: _expect_gradient(kind, ctx, fn, W3, 1e-3, numeric=False))
        else:
            W3 = np.array([[0.0, 1.2, -0.3], [-2.0, 0.0, 0.0], [0.5, -0.01, 0.0]])
            yield ctx.run("the subgradient at w = 0 is 0, as documented: dR = reg * np.sign(W) with np.sign(0) = 0",
                          lambda: _expect_gradient(kind, ctx, fn, W3, 0.4, numeric=False))
    return run


# -- Hypothesis properties ------------------------------------------------------------------------

def weights(bound: float = 10.0) -> st.SearchStrategy[np.ndarray]:
    """1-D or 2-D float arrays, sides 1..5."""
    return hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=5).flatmap(lambda s: float_arrays(s, bound))


def scales() -> st.SearchStrategy[float]:
    """Scale factors, negative ones included; |c| >= 1e-3 or exactly 0, so c * w never underflows to 0."""
    return (st.sampled_from([-2.0, -1.0, 0.0, 0.5, 3.0])
            | st.floats(-5.0, 5.0).filter(lambda c: c == 0 or abs(c) >= 1e-3))


def _regularizer_examples() -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries({"W": weights(), "reg": regs(), "c": scales()})


def _not_a_function(ctx, fn, name, n):
    return ctx.run("the answer is a function", lambda: require_callable(fn, name), n)


def regularizer_properties(kind: Regularizer):
    def run(fn, ctx: CheckContext):
        call = lambda W, reg: _call_regularizer(fn, kind.name, W, reg)  # noqa: E731

        def shapes(a):
            R, dR = call(a["W"], a["reg"])
            if not (np.isfinite(R) and np.all(np.isfinite(dR))):
                raise Failure("a finite R and dR", f"R = {R!r}")

        def nonnegative(a):
            R, _ = call(a["W"], a["reg"])
            if R < 0:
                raise Failure("R >= 0 (a penalty never pays you)", f"{R:.6g}",
                              _cause_of(R, kind.reference(a["W"], a["reg"])[0],
                                        kind.value_causes(a["W"], a["reg"]), True)
                              or f"R = {kind.formula} is a sum of non-negative terms")

        def homogeneous(a):
            W, reg, c = a["W"], a["reg"], a["c"]
            R, dR = call(W, reg)
            Rc, dRc = call(c * W, reg)
            factor = kind.scaled(c)
            if not _close(Rc, factor * R, 1e-9):
                raise Failure(f"R(c W) = {kind.scaled_text} = {factor * R:.6g} for c = {c:g}", f"{Rc:.6g}",
                              f"R = {kind.formula}" + (": squaring makes R grow like c^2" if kind is L2 else
                                                       ": R grows like |c|, also for negative c"))
            want = (c if kind is L2 else float(np.sign(c))) * dR
            if not _grad_close(dRc, want, 1e-9):
                grows = "c dR(W)" if kind is L2 else "sign(c) dR(W)"
                raise Failure(f"dR(c W) = {grows} for c = {c:g}", " ".join(fmt(dRc).split()), f"dR = {kind.gradient}")

        def linear_in_reg(a):
            W, reg = a["W"], a["reg"]
            R, dR = call(W, reg)
            R2, dR2 = call(W, 2 * reg)
            R0, dR0 = call(W, 0.0)
            if not (_close(R2, 2 * R, 1e-9) and _grad_close(dR2, 2 * dR, 1e-9)):
                raise Failure(f"R(W, 2 reg) = 2 R(W, reg) = {2 * R:.6g} (and dR doubles too)", f"{R2:.6g}",
                              f"reg multiplies the whole penalty once: R = {kind.formula}, dR = {kind.gradient}")
            if not (R0 == 0 and np.all(dR0 == 0)):
                raise Failure("R = 0 and dR = 0 for reg = 0", f"R = {R0:.6g}{_compact(dR0).replace(';', ',')}",
                              f"reg multiplies the whole penalty: R = {kind.formula}, dR = {kind.gradient}")

        def at_zero(a):
            Z = np.zeros_like(a["W"])
            reg = a["reg"] if a["reg"] > 0 else 1.0
            R, dR = call(Z, reg)
            if not (R == 0 and np.all(dR == 0)):
                # The subgradient convention is named only when R is right and dR is +-reg at the zeros.
                at_kink = kind is L1 and R == 0 and np.all(np.isin(np.abs(dR), [0.0, reg]))
                raise Failure(f"R = 0 and dR = 0 exactly at W = 0 (reg = {reg:g})",
                              f"R = {R:.6g}{_compact(dR).replace(';', ',')}",
                              ZERO_SUBGRADIENT if at_kink else "at W = 0 the penalty and its gradient are 0")

        def unmodified(a):
            require_callable(fn, kind.name)
            require_unmodified(lambda W: fn(W, a["reg"]), {"W": a["W"]},
                               "compute dR as a new array (e.g. 2 * reg * W), not by scaling W in place")

        props = {
            "returns a finite number R and a dR shaped like W, for any 1-D or 2-D W": shapes,
            "R >= 0 for any W and reg >= 0": nonnegative,
            f"R(c W) = {kind.scaled_text} for any c, negative included (and dR scales with it)": homogeneous,
            "R and dR are linear in reg: doubling reg doubles them, reg = 0 gives 0": linear_in_reg,
            ("R(0) = 0 and the subgradient at W = 0 is exactly 0" if kind is L1 else "R(0) = 0 and dR(0) = 0"): at_zero,
            "W is left unmodified": unmodified,
        }
        if not callable(fn):
            yield _not_a_function(ctx, fn, kind.name, len(props))
            return
        yield from each_holds_for_all(ctx, _regularizer_examples(), props)
    return run


# -- the basic case that gates the values and properties cells ------------------------------------

BASIC_W = np.array([[1.5, -0.5], [0.0, 2.0]])
BASIC_REG = 0.5
BASIC_WHERE = f"W = [[1.5, -0.5], [0, 2]], reg = {BASIC_REG:g}"


def _expect_penalty_grows(call, formula: str, where: str, causes) -> None:
    """R(W) > 0 for the basic W and R(2 W) > 1.5 R(W): a penalty computed from W, whatever its factor.

    Every penalty of the notebook is homogeneous of degree 1 (L1) to 2 (L2) in W, and so are the
    common slips (a factor 0.5, a missing reg, the norm not squared, a missing absolute value on this
    W of positive sum, a smoothed |w|), which therefore keep the credit their other criteria earn; an R
    that ignores W (a constant, 0, reg, random numbers) fails."""
    R, _ = call(BASIC_W)
    R2, _ = call(2 * BASIC_W)
    expected = f"R(W) > 0 and R(2 W) > 1.5 R(W) ({where}; R = {formula}: doubling W doubles L1, quadruples L2)"
    got = f"R = {R:.6g}, and R = {R2:.6g} for 2 W"
    if R > 0 and R2 > 1.5 * R:
        return
    if R == 0 and R2 == 0:
        cause = f"R is 0 for a non-zero W: compute the penalty from W, R = {formula}, and return it"
    elif R2 == R:
        cause = f"R does not change when W changes: it must be computed from W, R = {formula}"
    else:
        cause = causes() or f"R = {formula} is positive for a non-zero W and grows with |W|"
    raise Failure(expected, got, cause)


def penalty_basic_case(kind: Regularizer) -> BasicCase:
    def body(fn, ctx: CheckContext):
        require_callable(fn, kind.name)
        _expect_penalty_grows(lambda W: _call_regularizer(fn, kind.name, W, BASIC_REG), kind.formula,
                              BASIC_WHERE,
                              lambda: _cause_of(_call_regularizer(fn, kind.name, BASIC_W, BASIC_REG)[0],
                                                kind.reference(BASIC_W, BASIC_REG)[0],
                                                kind.value_causes(BASIC_W, BASIC_REG), True))
    return BasicCase(f"R is positive for W = [[1.5, -0.5], [0, 2]] (reg = {BASIC_REG:g}) and grows at least 1.5x "
                     "when W doubles", body)


# The gradient cells need no basic case: each of their criteria compares dR with a value that an answer
# ignoring its inputs cannot produce, and a correct dR keeps its points even where R is wrong.
for _kind in (L2, L1):
    _basic = penalty_basic_case(_kind)
    check(f"{_kind.key}_values", basic=_basic)(regularizer_values(_kind))
    check(f"{_kind.key}_gradient")(regularizer_gradient(_kind))
    check(f"{_kind.key}_properties", basic=_basic)(regularizer_properties(_kind))


# -- elastic net ------------------------------------------------------------------------------------

# The student's elastic net may build on their own L1 and L2: it runs with the references in their place.
TRUSTED_HELPERS = {"l1_regularization": ref.l1, "l2_regularization": ref.l2}


NET = "elastic_net_regularization"
NET_FORMULA = "l1_ratio * (reg * sum|W|) + (1 - l1_ratio) * (reg * sum(W * W))"


def _call_net(fn, W, reg, *ratio) -> tuple[float, np.ndarray]:
    with trusted_names(fn, TRUSTED_HELPERS):
        return _call_regularizer(fn, NET, W, reg, *ratio)


def _net_causes(W, reg, r):
    (R1, d1), (R2, d2) = ref.l1(W, reg), ref.l2(W, reg)
    return [
        ((1 - r) * R1 + r * R2, (1 - r) * d1 + r * d2,
         "the weights are swapped: l1_ratio multiplies the L1 part and (1 - l1_ratio) the L2 part"),
        (R1 + R2, d1 + d2, "each part must be weighted: l1_ratio * L1 + (1 - l1_ratio) * L2"),
        (r * R1 + R2, r * d1 + d2, "the L2 part must be weighted by (1 - l1_ratio)"),
        (R1 + (1 - r) * R2, d1 + (1 - r) * d2, "the L1 part must be weighted by l1_ratio"),
        (0.5 * (R1 + R2), 0.5 * (d1 + d2), "l1_ratio is ignored: use the argument, not a fixed 0.5"),
    ]


def _expect_net(fn, W, reg, r, default: bool = False) -> None:
    R, dR = _call_net(fn, W, reg) if default else _call_net(fn, W, reg, r)
    want_R, want_dR = ref.elastic_net(W, reg, r)
    causes = _net_causes(W, reg, r)
    where = f"{_where(W, reg)}, l1_ratio = {r:g}" + (" (the default)" if default else "")
    if not _close(R, want_R):
        raise Failure(f"R = {NET_FORMULA} = {want_R:.6g} ({where})", f"{R:.6g}",
                      _cause_of(R, want_R, [(c[0], c[2]) for c in causes], True)
                      or f"R = {NET_FORMULA}" + ("; the default l1_ratio is 0.5" if default else ""))
    if not _grad_close(dR, want_dR):
        raise Failure(f"dR = l1_ratio * reg * sign(W) + (1 - l1_ratio) * 2 * reg * W ({where})",
                      f"relative error {relative_error(dR, want_dR):.3g}",
                      _cause_of(dR, want_dR, [(c[1], c[2]) for c in causes], False)
                      or "dR is the same mix of the two gradients: l1_ratio * dR_L1 + (1 - l1_ratio) * dR_L2")


def _net_basic(fn, ctx: CheckContext) -> None:
    require_callable(fn, NET)
    r = 0.5
    _expect_penalty_grows(lambda W: _call_net(fn, W, BASIC_REG, r), NET_FORMULA,
                          f"{BASIC_WHERE}, l1_ratio = {r:g}",
                          lambda: _cause_of(_call_net(fn, BASIC_W, BASIC_REG, r)[0],
                                            ref.elastic_net(BASIC_W, BASIC_REG, r)[0],
                                            [(c[0], c[2]) for c in _net_causes(BASIC_W, BASIC_REG, r)], True))


NET_BASIC = BasicCase(f"R is positive for W = [[1.5, -0.5], [0, 2]] (reg = {BASIC_REG:g}, l1_ratio = 0.5) and grows "
                      "at least 1.5x when W doubles", _net_basic)


@check("elastic_net_values", basic=NET_BASIC)
def elastic_net_values(fn, ctx: CheckContext):
    rng = ctx.rng(420)
    W = rng.standard_normal((5, 4))
    Wz = np.array([0.0, 1.5, -2.0, 0.0, 0.3, -0.7])
    Wk = _away_from_zero(rng.standard_normal((4, 3)))
    yield ctx.run("returns (R, dR): a number and an array shaped like W", lambda: _call_net(fn, W, 0.1))
    yield ctx.run("the default l1_ratio = 0.5: R and dR are 0.5 * L1 + 0.5 * L2 (reg = 0.3)",
                  lambda: _expect_net(fn, W, 0.3, 0.5, default=True))
    yield ctx.run("l1_ratio = 0.2: R and dR are 0.2 * L1 + 0.8 * L2 (reg = 1.3)", lambda: _expect_net(fn, W, 1.3, 0.2))
    yield ctx.run("l1_ratio = 0.9 on 1-D weights with exact zeros (subgradient 0 at w = 0)",
                  lambda: _expect_net(fn, Wz, 0.5, 0.9))

    def numeric():
        reg, r = 0.6, 0.3
        _, dR = _call_net(fn, Wk, reg, r)
        target = numerical_gradient(lambda w: ref.elastic_net(w, reg, r)[0], Wk)
        err = relative_error(dR, target)
        if not err <= ctx.tol.gradient_rel_error:
            raise Failure(f"dR within relative error {ctx.tol.gradient_rel_error:g} of the centered-difference "
                          f"gradient ({_where(Wk, reg)}, l1_ratio = {r:g})", f"relative error {err:.3g}",
                          _cause_of(dR, ref.elastic_net(Wk, reg, r)[1], [(c[1], c[2]) for c in _net_causes(Wk, reg, r)],
                                    False) or "dR = l1_ratio * reg * np.sign(W) + (1 - l1_ratio) * 2 * reg * W")

    yield ctx.run("dR against centered differences (l1_ratio = 0.3, W away from 0)", numeric)


@check("elastic_net_properties", basic=NET_BASIC)
def elastic_net_properties(fn, ctx: CheckContext):
    rng = ctx.rng(430)
    Ws = [rng.standard_normal((4, 3)), np.array([0.0, -1.0, 2.5, 0.0])]

    def reduces(ratio: float, reference, what: str):
        def body():
            for W in Ws:
                R, dR = _call_net(fn, W, 0.8, ratio)
                want_R, want_dR = reference(W, 0.8)
                causes = _net_causes(W, 0.8, ratio)
                where = f"{_where(W, 0.8)}, l1_ratio = {ratio:g}"
                if not _close(R, want_R):
                    raise Failure(f"the {what} penalty R = {want_R:.6g} ({where})", f"R = {R:.6g}",
                                  _cause_of(R, want_R, [(c[0], c[2]) for c in causes], True)
                                  or f"with l1_ratio = {ratio:g} the mix {NET_FORMULA} is pure {what}")
                if not _grad_close(dR, want_dR):
                    raise Failure(f"the {what} gradient dR ({where})",
                                  f"relative error {relative_error(dR, want_dR):.3g}",
                                  _cause_of(dR, want_dR, [(c[1], c[2]) for c in causes], False)
                                  or f"with l1_ratio = {ratio:g} dR is the pure {what} gradient")
        return body

    yield ctx.run("l1_ratio = 1 is exactly the L1 penalty", reduces(1.0, ref.l1, "L1"))
    yield ctx.run("l1_ratio = 0 is exactly the L2 penalty", reduces(0.0, ref.l2, "L2"))

    def nonnegative(a):
        R, _ = _call_net(fn, a["W"], a["reg"], a["ratio"])
        if R < 0:
            raise Failure("R >= 0", f"{R:.6g}", f"R = {NET_FORMULA} is a sum of non-negative terms")

    def linear_in_reg(a):
        W, reg, r = a["W"], a["reg"], a["ratio"]
        R, dR = _call_net(fn, W, reg, r)
        R2, dR2 = _call_net(fn, W, 2 * reg, r)
        if not (_close(R2, 2 * R, 1e-9) and _grad_close(dR2, 2 * dR, 1e-9)):
            raise Failure(f"R(W, 2 reg) = 2 R(W, reg) = {2 * R:.6g} (and dR doubles too)", f"{R2:.6g}",
                          "both parts use the same strength reg: " + NET_FORMULA)

    def unmodified(a):
        require_callable(fn, NET)

        def call(W):
            with trusted_names(fn, TRUSTED_HELPERS):
                fn(W, a["reg"], a["ratio"])

        require_unmodified(call, {"W": a["W"]}, "compute R and dR as new arrays")

    props = {
        "R >= 0 for any W, reg >= 0 and l1_ratio in [0, 1]": nonnegative,
        "R and dR are linear in reg": linear_in_reg,
        "W is left unmodified": unmodified,
    }
    if not callable(fn):
        yield _not_a_function(ctx, fn, NET, len(props))
        return
    examples = st.fixed_dictionaries({"W": weights(), "reg": regs(),
                                      "ratio": st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0.0, 1.0)})
    yield from each_holds_for_all(ctx, examples, props)


# -- regularized_loss -----------------------------------------------------------------------------

RLOSS = "regularized_loss"


def _named(fn, name: str):
    fn.__name__ = fn.__qualname__ = name   # Python's TypeError messages then say `data_loss_fn() takes ...`
    return fn


def _data_loss(reference):
    """A trusted data loss (W, X, y) -> (loss, dW): the reference loss without regularization."""
    return _named(lambda W, X, y: reference(W, X, y, 0.0), "data_loss_fn")


def _regularizer(reference):
    """A trusted regularizer (W, reg) -> (R, dR)."""
    return _named(lambda W, reg: reference(W, reg), "regularizer")


def _call_rloss(fn, data_loss_fn, regularizer, W, X, y, reg, *, copy: bool = True):
    """fn(data_loss_fn, regularizer, W, X, y, reg), with calls of the two parts with the wrong arguments
    explained; returns what fn returned, unvalidated."""
    require_callable(fn, RLOSS)
    args = (W.copy(), X.copy(), y.copy()) if copy else (W, X, y)
    try:
        return fn(data_loss_fn, regularizer, *args, reg)
    except TypeError as exc:
        text = str(exc)
        if text.startswith("data_loss_fn()"):
            raise Failure("a call data_loss_fn(W, X, y)", f"TypeError: {text}",
                          "data_loss_fn takes (W, X, y) and returns the data loss without regularization: do "
                          "not pass reg to it; the regularizer adds the penalty") from None
        if text.startswith("regularizer()"):
            raise Failure("a call regularizer(W, reg)", f"TypeError: {text}",
                          "the regularizer takes (W, reg): R, dR = regularizer(W, reg)") from None
        raise


def _rloss(fn, data_loss_fn, regularizer, W, X, y, reg) -> tuple[float, np.ndarray]:
    return _pair(_call_rloss(fn, data_loss_fn, regularizer, W, X, y, reg), "loss", "dW", W.shape)


def _problem(rng, n=12, d=5, c=3):
    return rng.standard_normal((d, c)) * 0.5, rng.standard_normal((n, d)), rng.integers(0, c, n)


def _expect_rloss(fn, data_loss_fn, regularizer, W, X, y, reg, expected, what) -> None:
    loss, dW = _rloss(fn, data_loss_fn, regularizer, W, X, y, reg)
    want_loss, want_dW = expected
    data, d_data = data_loss_fn(W, X, y)
    R, dR = regularizer(W, reg)
    if not _close(loss, want_loss):
        if loss == 0 and R == 0:   # nothing added: neither part, or only the penalty, which is 0 here
            cause = ("the loss is 0: call data_loss, dW_data = data_loss_fn(W, X, y) and R, dR = regularizer(W, reg), "
                     "and return their sum")
        else:
            cause = _cause_of(loss, want_loss, [
                (data, "the regularization R is missing from the loss: return data_loss + R"),
                (data + 2 * R, "the regularization is counted twice: add R once"),
                (R, "the data loss is missing: return data_loss + R"),
                (data - R, "add the penalty: data_loss + R"),
            ], True)
        raise Failure(f"loss = data loss + R = {want_loss:.6g} ({what})", f"{loss:.6g}",
                      cause or "loss = data_loss_fn(W, X, y)[0] + regularizer(W, reg)[0]")
    if not _grad_close(dW, want_dW):
        cause = _cause_of(dW, want_dW, [
            (d_data, "the regularization gradient dR is missing from dW: return dW_data + dR"),
            (d_data + 2 * dR, "the regularization gradient is counted twice: add dR once"),
            (dR, "the data gradient is missing: dW = dW_data + dR"),
        ], False)
        raise Failure(f"dW = dW_data + dR ({what})", f"relative error {relative_error(dW, want_dW):.3g}",
                      cause or "dW = data_loss_fn(W, X, y)[1] + regularizer(W, reg)[1]")


def _rloss_basic(fn, ctx: CheckContext) -> None:
    """With reg = 0 the loss and gradient are the data loss's: an answer that ignores what it is given
    fails, while slips in the penalty (counted twice, dR dropped, a fixed L2) all show only for reg > 0."""
    W, X, y = _problem(ctx.rng(439), n=4, d=3, c=3)
    data_loss_fn = _data_loss(ref_losses.softmax_loss)
    _expect_rloss(fn, data_loss_fn, _regularizer(ref.l2), W, X, y, 0.0, ref_losses.softmax_loss(W, X, y, 0.0),
                  "softmax data loss + L2 with reg = 0, N = 4")


RLOSS_BASIC = BasicCase("with reg = 0 the loss and dW are the data loss's (softmax data loss + L2, N = 4)",
                        _rloss_basic)


@check("regularized_loss_values", basic=RLOSS_BASIC)
def regularized_loss_values(fn, ctx: CheckContext):
    rng = ctx.rng(440)
    W, X, y = _problem(rng)
    svm, softmax = _data_loss(ref_losses.svm_loss), _data_loss(ref_losses.softmax_loss)
    l1, l2 = _regularizer(ref.l1), _regularizer(ref.l2)

    def case(data_loss_fn, regularizer, reg, expected, what):
        return lambda: _expect_rloss(fn, data_loss_fn, regularizer, W, X, y, reg, expected, what)

    yield ctx.run("returns (loss, dW): a number and an array shaped like W",
                  lambda: _rloss(fn, svm, l2, W, X, y, 0.1))
    yield ctx.run("SVM data loss + L2 (reg = 0.5) is the regularized SVM loss and gradient of the losses notebook",
                  case(svm, l2, 0.5, ref_losses.svm_loss(W, X, y, 0.5), "SVM + L2, reg = 0.5"))
    yield ctx.run("softmax data loss + L1 (reg = 0.2): the sum of both, loss and gradient",
                  case(softmax, l1, 0.2, ref.regularized_loss(softmax, l1, W, X, y, 0.2),
                       "softmax + L1, reg = 0.2"))
    yield ctx.run("reg = 0 gives the data loss and its gradient alone",
                  case(softmax, l2, 0.0, ref_losses.softmax_loss(W, X, y, 0.0), "softmax + L2, reg = 0"))


class _Recorder:
    """Callables with the documented signatures that record their calls and return fixed values."""

    def __init__(self, W):
        rng = np.random.default_rng(7)
        self.data_value, self.data_grad = 1.25, rng.standard_normal(W.shape)
        self.reg_value, self.reg_grad = 0.5, rng.standard_normal(W.shape)
        self.data_calls: list[tuple] = []
        self.reg_calls: list[tuple] = []

        def data_loss_fn(W, X, y):
            self.data_calls.append((np.array(W), np.array(X), np.array(y)))
            return self.data_value, self.data_grad.copy()

        def regularizer(W, reg):
            self.reg_calls.append((np.array(W), reg))
            return self.reg_value, self.reg_grad.copy()

        self.data_loss_fn, self.regularizer = _named(data_loss_fn, "data_loss_fn"), _named(regularizer, "regularizer")


@check("regularized_loss_calls", basic=RLOSS_BASIC)
def regularized_loss_calls(fn, ctx: CheckContext):
    rng = ctx.rng(450)
    W, X, y = _problem(rng, n=6, d=4, c=3)
    reg = 0.35

    def run_recorded() -> tuple[_Recorder, tuple[float, np.ndarray]]:
        rec = _Recorder(W)
        out = _call_rloss(fn, rec.data_loss_fn, rec.regularizer, W, X, y, reg)
        return rec, _pair(out, "loss", "dW", W.shape)

    def calls_data_loss():
        rec, _ = run_recorded()
        if not rec.data_calls:
            raise Failure("a call data_loss_fn(W, X, y)", "no call",
                          "use the data loss you are given: data_loss, dW = data_loss_fn(W, X, y)")
        for Wc, Xc, yc in rec.data_calls:
            if not (np.array_equal(Wc, W) and np.array_equal(Xc, X) and np.array_equal(yc, y)):
                raise Failure("data_loss_fn called with the W, X and y given", "other arrays",
                              "pass W, X and y through unchanged: data_loss_fn(W, X, y)")

    def calls_regularizer():
        rec, _ = run_recorded()
        if not rec.reg_calls:
            raise Failure("a call regularizer(W, reg)", "no call",
                          "use the regularizer you are given (L2, L1, ...), not a fixed one: "
                          "R, dR = regularizer(W, reg)")
        for Wc, r in rec.reg_calls:
            if not (np.array_equal(Wc, W) and r == reg):
                raise Failure(f"regularizer called with the W given and reg = {reg:g}",
                              f"reg = {r!r}" if np.array_equal(Wc, W) else "another W",
                              "pass W and reg through unchanged: regularizer(W, reg)")

    def sums_once():
        rec, (loss, dW) = run_recorded()
        want = rec.data_value + rec.reg_value
        if not _close(loss, want, 1e-12):
            cause = _cause_of(loss, want, [
                (rec.data_value + 2 * rec.reg_value, "the regularization is counted twice: add R once"),
                (rec.data_value, "the regularization R is missing from the loss: return data_loss + R"),
                (rec.reg_value, "the data loss is missing: return data_loss + R"),
                (2 * rec.data_value + rec.reg_value, "the data loss is counted twice"),
            ], True)
            raise Failure(f"loss = data loss + R = {rec.data_value:g} + {rec.reg_value:g} = {want:g}", f"{loss:.6g}",
                          cause or "return data_loss + R, each counted once")
        want_dW = rec.data_grad + rec.reg_grad
        if not _grad_close(dW, want_dW, 1e-12):
            cause = _cause_of(dW, want_dW, [
                (rec.data_grad + 2 * rec.reg_grad, "the regularization gradient is counted twice: add dR once"),
                (rec.data_grad, "the regularization gradient dR is missing from dW: return dW_data + dR"),
                (rec.reg_grad, "the data gradient is missing: dW = dW_data + dR"),
            ], False)
            raise Failure("dW = dW_data + dR", f"relative error {relative_error(dW, want_dW):.3g}",
                          cause or "return dW_data + dR, each counted once")

    def unmodified():
        require_unmodified(
            lambda Wc, Xc, yc: _call_rloss(fn, _data_loss(ref_losses.svm_loss), _regularizer(ref.l2), Wc, Xc, yc, reg,
                                           copy=False),
            {"W": W, "X": X, "y": y},
            "add the two parts into new values (loss = a + b), not in place into an input", each=True)

    yield ctx.run("passes (W, X, y) to data_loss_fn, without reg", calls_data_loss)
    yield ctx.run("passes (W, reg) to the regularizer it is given", calls_regularizer)
    yield ctx.run("returns data loss + R and dW_data + dR, each counted once (recorded callables)", sums_once)
    yield ctx.run("W, X and y are left unmodified", unmodified)


# -- fit_polynomial_ridge ---------------------------------------------------------------------------

RIDGE = "fit_polynomial_ridge"
RIDGE_RULE = "solve (A.T @ A + lam * I) c = A.T @ y with A = np.vander(x, degree + 1, increasing=True)"


def _call_ridge(fn, x, y, degree, lam) -> np.ndarray:
    require_callable(fn, RIDGE)
    out = fn(x.copy(), y.copy(), degree, lam)
    if isinstance(out, (tuple, list)) and len(out) != degree + 1:
        raise Failure(f"an array of the {degree + 1} coefficients", f"a {type(out).__name__} of {len(out)} items",
                      "return the coefficients only")
    return _array(out, (degree + 1,), "the coefficients",
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
                      fmt(got), _cause_of(got, want, _ridge_causes(x, y, degree, lam), False) or RIDGE_RULE)


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
        cause = _cause_of(got, BASIC_C, _ridge_causes(BASIC_X, y, 2, 0.0), False)
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
        yield _not_a_function(ctx, fn, RIDGE, len(props))
        return
    yield from each_holds_for_all(ctx, _ridge_examples(), props)
