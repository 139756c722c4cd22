"""Checks of regularization.ipynb: the L2, L1 and elastic-net regularizers `(W, reg) -> (R, dR)`.

Each check calls only the student's function it grades. The elastic-net checks let the student's
function call `l1_regularization` / `l2_regularization`, but those names resolve to the references while
it is graded, so a mistake in the student's L1 or L2 costs points once, on L1 or L2. Helpers shared with
the notebook's other checks are in regularization.py.
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
from ..reference import regularization as ref
from .calls import require_callable, trusted_names
from .problems import fmt
from .properties import each_holds_for_all, float_arrays, regs
from .registry import BasicCase, check
from .regularization import compact, known_cause, not_a_function, same_gradient, same_value, value_and_gradient
from .unmodified import require_unmodified

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
    return value_and_gradient(out, "R", "dR", W.shape)


def _where(W, reg) -> str:
    return f"W of shape {W.shape}, reg = {reg:g}"


def _expect_value(kind: Regularizer, ctx: CheckContext, fn, W, reg) -> None:
    R, _ = _call_regularizer(fn, kind.name, W, reg)
    expected, _ = kind.reference(W, reg)
    if not same_value(R, expected, ctx.tol.value_rel_error):
        raise Failure(f"R = {kind.formula} = {expected:.6g} ({_where(W, reg)})", f"{R:.6g}",
                      known_cause(R, expected, kind.value_causes(W, reg), True) or f"R = {kind.formula}")


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
                      f"relative error {err:.3g}{compact(dR)}",
                      known_cause(dR, expected, kind.gradient_causes(W, reg), False) or f"dR = {kind.gradient}")


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
                body = lambda Ws=W_case: [_expect_value(kind, ctx, fn, w, 1.0) for w in Ws]  # noqa: E731
            else:
                body = lambda W_case=W_case, reg=reg: _expect_value(kind, ctx, fn, W_case, reg)  # noqa: E731
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
                              known_cause(R, kind.reference(a["W"], a["reg"])[0],
                                        kind.value_causes(a["W"], a["reg"]), True)
                              or f"R = {kind.formula} is a sum of non-negative terms")

        def homogeneous(a):
            W, reg, c = a["W"], a["reg"], a["c"]
            R, dR = call(W, reg)
            Rc, dRc = call(c * W, reg)
            factor = kind.scaled(c)
            if not same_value(Rc, factor * R, 1e-9):
                raise Failure(f"R(c W) = {kind.scaled_text} = {factor * R:.6g} for c = {c:g}", f"{Rc:.6g}",
                              f"R = {kind.formula}" + (": squaring makes R grow like c^2" if kind is L2 else
                                                       ": R grows like |c|, also for negative c"))
            want = (c if kind is L2 else float(np.sign(c))) * dR
            if not same_gradient(dRc, want, 1e-9):
                grows = "c dR(W)" if kind is L2 else "sign(c) dR(W)"
                raise Failure(f"dR(c W) = {grows} for c = {c:g}", " ".join(fmt(dRc).split()), f"dR = {kind.gradient}")

        def linear_in_reg(a):
            W, reg = a["W"], a["reg"]
            R, dR = call(W, reg)
            R2, dR2 = call(W, 2 * reg)
            R0, dR0 = call(W, 0.0)
            if not (same_value(R2, 2 * R, 1e-9) and same_gradient(dR2, 2 * dR, 1e-9)):
                raise Failure(f"R(W, 2 reg) = 2 R(W, reg) = {2 * R:.6g} (and dR doubles too)", f"{R2:.6g}",
                              f"reg multiplies the whole penalty once: R = {kind.formula}, dR = {kind.gradient}")
            if not (R0 == 0 and np.all(dR0 == 0)):
                raise Failure("R = 0 and dR = 0 for reg = 0", f"R = {R0:.6g}{compact(dR0).replace(';', ',')}",
                              f"reg multiplies the whole penalty: R = {kind.formula}, dR = {kind.gradient}")

        def at_zero(a):
            Z = np.zeros_like(a["W"])
            reg = a["reg"] if a["reg"] > 0 else 1.0
            R, dR = call(Z, reg)
            if not (R == 0 and np.all(dR == 0)):
                # The subgradient convention is named only when R is right and dR is +-reg at the zeros.
                at_kink = kind is L1 and R == 0 and np.all(np.isin(np.abs(dR), [0.0, reg]))
                raise Failure(f"R = 0 and dR = 0 exactly at W = 0 (reg = {reg:g})",
                              f"R = {R:.6g}{compact(dR).replace(';', ',')}",
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
            yield not_a_function(ctx, fn, kind.name, len(props))
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
                              lambda: known_cause(_call_regularizer(fn, kind.name, BASIC_W, BASIC_REG)[0],
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


def _expect_net(ctx: CheckContext, fn, W, reg, r, default: bool = False) -> None:
    R, dR = _call_net(fn, W, reg) if default else _call_net(fn, W, reg, r)
    want_R, want_dR = ref.elastic_net(W, reg, r)
    causes = _net_causes(W, reg, r)
    where = f"{_where(W, reg)}, l1_ratio = {r:g}" + (" (the default)" if default else "")
    if not same_value(R, want_R, ctx.tol.value_rel_error):
        raise Failure(f"R = {NET_FORMULA} = {want_R:.6g} ({where})", f"{R:.6g}",
                      known_cause(R, want_R, [(c[0], c[2]) for c in causes], True)
                      or f"R = {NET_FORMULA}" + ("; the default l1_ratio is 0.5" if default else ""))
    if not same_gradient(dR, want_dR, ctx.tol.gradient_rel_error):
        raise Failure(f"dR = l1_ratio * reg * sign(W) + (1 - l1_ratio) * 2 * reg * W ({where})",
                      f"relative error {relative_error(dR, want_dR):.3g}",
                      known_cause(dR, want_dR, [(c[1], c[2]) for c in causes], False)
                      or "dR is the same mix of the two gradients: l1_ratio * dR_L1 + (1 - l1_ratio) * dR_L2")


def _net_basic(fn, ctx: CheckContext) -> None:
    require_callable(fn, NET)
    r = 0.5
    _expect_penalty_grows(lambda W: _call_net(fn, W, BASIC_REG, r), NET_FORMULA,
                          f"{BASIC_WHERE}, l1_ratio = {r:g}",
                          lambda: known_cause(_call_net(fn, BASIC_W, BASIC_REG, r)[0],
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
                  lambda: _expect_net(ctx, fn, W, 0.3, 0.5, default=True))
    yield ctx.run("l1_ratio = 0.2: R and dR are 0.2 * L1 + 0.8 * L2 (reg = 1.3)",
                  lambda: _expect_net(ctx, fn, W, 1.3, 0.2))
    yield ctx.run("l1_ratio = 0.9 on 1-D weights with exact zeros (subgradient 0 at w = 0)",
                  lambda: _expect_net(ctx, fn, Wz, 0.5, 0.9))

    def numeric():
        reg, r = 0.6, 0.3
        _, dR = _call_net(fn, Wk, reg, r)
        target = numerical_gradient(lambda w: ref.elastic_net(w, reg, r)[0], Wk)
        err = relative_error(dR, target)
        if not err <= ctx.tol.gradient_rel_error:
            raise Failure(f"dR within relative error {ctx.tol.gradient_rel_error:g} of the centered-difference "
                          f"gradient ({_where(Wk, reg)}, l1_ratio = {r:g})", f"relative error {err:.3g}",
                          known_cause(dR, ref.elastic_net(Wk, reg, r)[1],
                                      [(c[1], c[2]) for c in _net_causes(Wk, reg, r)], False)
                          or "dR = l1_ratio * reg * np.sign(W) + (1 - l1_ratio) * 2 * reg * W")

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
                if not same_value(R, want_R, ctx.tol.value_rel_error):
                    raise Failure(f"the {what} penalty R = {want_R:.6g} ({where})", f"R = {R:.6g}",
                                  known_cause(R, want_R, [(c[0], c[2]) for c in causes], True)
                                  or f"with l1_ratio = {ratio:g} the mix {NET_FORMULA} is pure {what}")
                if not same_gradient(dR, want_dR, ctx.tol.gradient_rel_error):
                    raise Failure(f"the {what} gradient dR ({where})",
                                  f"relative error {relative_error(dR, want_dR):.3g}",
                                  known_cause(dR, want_dR, [(c[1], c[2]) for c in causes], False)
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
        if not (same_value(R2, 2 * R, 1e-9) and same_gradient(dR2, 2 * dR, 1e-9)):
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
        yield not_a_function(ctx, fn, NET, len(props))
        return
    examples = st.fixed_dictionaries({"W": weights(), "reg": regs(),
                                      "ratio": st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0.0, 1.0)})
    yield from each_holds_for_all(ctx, examples, props)


