"""Checks of `svm_loss_*` and `softmax_loss_*(W, X, y, reg) -> (loss, dW)`.

Each check calls only the student's loss function; the expected values come from the trusted
reference in `grader.reference` and from centered differences of it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from hypothesis import strategies as st

from ..numerics import numerical_gradient, relative_error, values_close
from ..outcome import CheckContext, Failure
from ..reference import losses as ref
from .calls import call_loss, require_callable
from .diagnosis import diagnose_gradient, diagnose_loss
from .problems import LECTURE_LABELS, LECTURE_SCORES, Problem, kink_free_problem, random_problem, scores_problem
from .properties import each_holds_for_all, float_arrays, holds_for_all, permutations, problem_examples
from .registry import BasicCase, check
from .unmodified import require_unmodified


@dataclass(frozen=True)
class LossKind:
    key: str                     # "svm" or "softmax": check names are "<key>_<aspect>"
    title: str
    reference: Callable
    initial_loss: Callable[[int], float]
    initial_loss_text: str


SVM = LossKind("svm", "SVM", ref.svm_loss, lambda c: c - 1.0, "C - 1")
SOFTMAX = LossKind("softmax", "softmax", ref.softmax_loss, lambda c: math.log(c), "log C")


def _expect_loss(kind: LossKind, ctx: CheckContext, fn, p: Problem) -> tuple[float, np.ndarray]:
    loss, dW = call_loss(fn, p)
    expected = kind.reference(*p.args())[0]
    if not values_close(loss, expected, ctx.tol.value_rel_error):
        raise Failure(f"loss {expected:.6g} ({p.where()})", f"{loss:.6g}",
                      diagnose_loss(kind.reference, p, loss, kind.key))
    return loss, dW


def _expect_gradient(kind: LossKind, ctx: CheckContext, fn, p: Problem) -> None:
    _, dW = call_loss(fn, p)
    W, X, y, reg = p.args()
    numeric = numerical_gradient(lambda w: kind.reference(w, X, y, reg)[0], W)
    err = relative_error(dW, numeric)
    if not err <= ctx.tol.gradient_rel_error:
        raise Failure(f"dW within relative error {ctx.tol.gradient_rel_error:g} of the centered-difference "
                      f"gradient ({p.where()})", f"relative error {err:.3g}",
                      diagnose_gradient(kind.reference, p, dW, kind.key))


# -- the basic case that gates every other criterion ---------------------------------------------

def basic_case(kind: LossKind) -> BasicCase:
    """One ordinary example, no regularization: a loss that ignores its inputs cannot match it, and
    with N = 1 and reg = 0 the common slips (a sum instead of a mean, the regularization's factor)
    still pass, so they lose points only where their mistake shows."""
    def body(fn, ctx: CheckContext):
        require_callable(fn, "the loss function")
        p = random_problem(ctx.rng(99), 1, 3, 4, 0.0, w_scale=1.0)
        _expect_loss(kind, ctx, fn, p)
    return BasicCase(f"the {kind.title} loss of one example (N = 1, D = 3, C = 4, reg = 0) matches the reference",
                     body)


# -- sanity checks from the lecture -------------------------------------------------------------

def sanity(kind: LossKind):
    def run(fn, ctx: CheckContext):
        require = lambda: require_callable(fn, "the loss function")  # noqa: E731

        def at_zero(c: int, reg: float):
            def body():
                require()
                p = Problem(np.zeros((4, c)), ctx.rng(c).standard_normal((5, 4)), np.arange(5) % c, reg)
                loss, _ = call_loss(fn, p)
                expected = kind.initial_loss(c)
                if not values_close(loss, expected, 1e-9, 1e-9):
                    raise Failure(f"{kind.initial_loss_text} = {expected:.6g} at W = 0 with C = {c}", f"{loss:.6g}",
                                  diagnose_loss(kind.reference, p, loss, kind.key)
                                  or f"at W = 0 every score is 0, so each example's loss is {kind.initial_loss_text}")
            return body

        def lecture_example():
            require()
            p = scores_problem(LECTURE_SCORES, LECTURE_LABELS)
            _expect_loss(kind, ctx, fn, p)

        yield ctx.run(f"loss at W = 0 is {kind.initial_loss_text} (C = 10, reg = 0.5)", at_zero(10, 0.5))
        yield ctx.run(f"loss at W = 0 is {kind.initial_loss_text} (C = 3, reg = 0)", at_zero(3, 0.0))
        yield ctx.run("the lecture's cat/car/frog scores (X = I, W = the scores)", lecture_example)
    return run


# -- values and gradients against the reference -----------------------------------------------

def loss_values(kind: LossKind):
    def run(fn, ctx: CheckContext):
        cases = [
            ("returns (loss, dW): a number and an array shaped like W", (6, 4, 3, 0.0)),
            ("data loss matches the reference (reg = 0)", (6, 4, 3, 0.0)),
            ("regularized loss matches the reference (reg = 0.5)", (6, 4, 3, 0.5)),
            ("loss on a larger problem (N = 50, D = 8, C = 6, reg = 0.1)", (50, 8, 6, 0.1)),
            ("loss of a single example (N = 1)", (1, 3, 4, 0.2)),
        ]
        for i, (checked, (n, d, c, reg)) in enumerate(cases):
            p = random_problem(ctx.rng(100 + i), n, d, c, reg)
            if i == 0:
                body = lambda p=p: (require_callable(fn, "the loss function"), call_loss(fn, p))  # noqa: E731
            else:
                body = lambda p=p: (require_callable(fn, "the loss function"), _expect_loss(kind, ctx, fn, p))  # noqa: E731
            yield ctx.run(checked, body)
    return run


def gradients(kind: LossKind):
    def run(fn, ctx: CheckContext):
        cases = [
            ("dW against centered differences, no regularization", (6, 4, 3, 0.0)),
            ("dW against centered differences, reg = 0.5", (6, 4, 3, 0.5)),
            ("dW on a larger problem (N = 40, D = 8, C = 6, reg = 0.1)", (40, 8, 6, 0.1)),
        ]
        for i, (checked, (n, d, c, reg)) in enumerate(cases):
            p = kink_free_problem(ctx.rng(200 + i), n, d, c, reg)
            yield ctx.run(checked, lambda p=p: (require_callable(fn, "the loss function"),
                                                _expect_gradient(kind, ctx, fn, p)))
    return run


# -- numerical stability (softmax) ----------------------------------------------------------------

def stability(kind: LossKind):
    """The two cases the lecture motivates, and no further: every max-shifted formulation CS231n
    teaches (shift, then exp / sum, then -log p[y]) underflows once a true class is about 700 below
    its row's best, so no case goes near that (DESIGN.md principles 5 and 9)."""
    def run(fn, ctx: CheckContext):
        rng = ctx.rng(300)
        base = rng.standard_normal((5, 4)) * 3
        y = np.array([0, 1, 2, 3, 1])

        def shifted_by_1000():
            p = scores_problem(base + 1000.0, y)
            # The evidence for a missing shift: the same answer is finite on the unshifted scores.
            loss, dW = _finite_loss(fn, p, "for scores shifted by +1000", lambda: _overflow_cause(fn, base, y))
            _expect_reference(ctx, kind, p, loss, dW, "scores shifted by +1000", "")

        def confidently_wrong():
            p = scores_problem(np.array([[0.0, 50.0, 3.0], [10.0, -40.0, 60.0]]), np.array([0, 0]))
            loss, dW = _finite_loss(fn, p, "when the true class is 50 below the best", lambda: LOG_SUM_EXP)
            capped = LOG_SUM_EXP + "; log(p + eps) caps the loss of a confidently wrong example"
            _expect_reference(ctx, kind, p, loss, dW, "true classes 50 below the best score",
                              capped if loss < kind.reference(*p.args())[0] else "")

        yield ctx.run("every score + 1000 leaves loss and dW unchanged and finite", shifted_by_1000)
        yield ctx.run("a confidently wrong example (true class 50 below the best) costs its full loss",
                      confidently_wrong)
    return run


LOG_SUM_EXP = "use the log-sum-exp form L_i = -s_y + max + log(sum exp(s - max))"


def _quiet_loss(fn, p: Problem) -> tuple[float, np.ndarray]:
    """The answer's (loss, dW) with numpy's overflow warnings silenced: the values tell."""
    require_callable(fn, "the loss function")
    with np.errstate(all="ignore"):
        return call_loss(fn, p)


def _finite_loss(fn, p: Problem, what: str, cause: Callable[[], str]) -> tuple[float, np.ndarray]:
    loss, dW = _quiet_loss(fn, p)
    if not (np.isfinite(loss) and np.all(np.isfinite(dW))):
        raise Failure(f"a finite loss and dW {what}", f"loss {loss!r}, dW finite: {bool(np.all(np.isfinite(dW)))}",
                      cause())
    return loss, dW


def _expect_reference(ctx: CheckContext, kind: LossKind, p: Problem, loss, dW, what: str, cause: str) -> None:
    exp_loss, exp_dW = kind.reference(*p.args())
    if not values_close(loss, exp_loss, ctx.tol.value_rel_error, 1e-9):
        raise Failure(f"loss {exp_loss:.6g} for {what}", f"{loss:.6g}", cause)
    err = relative_error(dW, exp_dW)
    if not err <= ctx.tol.gradient_rel_error:
        raise Failure(f"dW matching the reference for {what}", f"relative error {err:.3g}", cause)


def _overflow_cause(fn, scores, y) -> str:
    """Name the missing max-shift only when the evidence shows it: finite without the shift."""
    try:
        loss, dW = _quiet_loss(fn, scores_problem(scores, y))
    except Exception:
        return ""
    if np.isfinite(loss) and np.all(np.isfinite(dW)):
        return "exp overflows for large scores: subtract each row's maximum score before np.exp"
    return ""


# -- invariances with Hypothesis ------------------------------------------------------------------

def multiple_of(got: np.ndarray, base: np.ndarray) -> float:
    """The k for which k * base is closest to got (least squares): what a failed "got" line measures,
    e.g. 1 for reg * W where 2 * reg * W was expected, 2 for a sum where a mean was."""
    scale = float(np.sum(base * base))
    return float(np.sum(got * base)) / scale if scale > 0 else float("nan")


def _loss_and_grad(fn, p: Problem):
    loss, dW = call_loss(fn, p)
    if not (np.isfinite(loss) and np.all(np.isfinite(dW))):
        raise Failure("a finite loss and dW", f"loss {loss!r}")
    return loss, dW


def _expect_same(ctx, what, got, want, got_dW=None, want_dW=None):
    if not values_close(got, want, ctx.tol.value_rel_error, 1e-9):
        raise Failure(f"the same loss {what} ({want:.6g})", f"{got:.6g}")
    if got_dW is not None and relative_error(got_dW, want_dW) > ctx.tol.value_rel_error:
        raise Failure(f"the same dW {what}", f"relative error {relative_error(got_dW, want_dW):.3g}")


def properties(kind: LossKind):
    def run(fn, ctx: CheckContext):
        def nonnegative(a):
            loss, _ = _loss_and_grad(fn, a["problem"])
            if loss < 0:
                raise Failure("a loss >= 0 (every term is >= 0)", f"{loss:.6g}",
                              "check the max(0, .) of the hinge, or the sign of -log p")

        def permute_examples(a):
            p = a["problem"]
            perm = np.random.default_rng(a["seed"]).permutation(len(p.y))
            loss, dW = _loss_and_grad(fn, p)
            loss2, dW2 = _loss_and_grad(fn, Problem(p.W, p.X[perm], p.y[perm], p.reg))
            _expect_same(ctx, "after reordering the examples", loss2, loss, dW2, dW)

        def permute_classes(a):
            p = a["problem"]
            perm = np.random.default_rng(a["seed"]).permutation(p.W.shape[1])
            inverse = np.argsort(perm)
            loss, dW = _loss_and_grad(fn, p)
            loss2, dW2 = _loss_and_grad(fn, Problem(p.W[:, perm], p.X, inverse[p.y], p.reg))
            _expect_same(ctx, "after relabelling the classes", loss2, loss, dW2, dW[:, perm])

        def duplicated(a):
            p = a["problem"]
            loss, dW = _loss_and_grad(fn, p)
            loss2, dW2 = _loss_and_grad(fn, Problem(p.W, np.vstack([p.X, p.X]), np.concatenate([p.y, p.y]), p.reg))
            if not values_close(loss2, loss, ctx.tol.value_rel_error, 1e-9):
                raise Failure(f"the same loss for the data set twice over ({loss:.6g})", f"{loss2:.6g}",
                              "the data loss is a mean: divide the sum over examples by N")
            if relative_error(dW2, dW) > ctx.tol.value_rel_error:
                raise Failure("the same dW for the data set twice over",
                              f"dW on the data set twice over = {multiple_of(dW2, dW):.4g} x dW "
                              f"(relative error {relative_error(dW2, dW):.3g})",
                              "dW is a mean over the examples too: divide it by N")

        def separable(a):
            p = a["problem"]
            loss0, dW0 = _loss_and_grad(fn, Problem(p.W, p.X, p.y, 0.0))
            loss, dW = _loss_and_grad(fn, p)
            penalty = p.reg * float(np.sum(p.W * p.W))
            # Compared as L(W, reg) against L(W, 0) + penalty: differences of nearly equal floats
            # would turn a tiny reg into noise.
            if not values_close(loss, loss0 + penalty, ctx.tol.value_rel_error, 1e-9):
                raise Failure(f"L(W, reg) - L(W, 0) = reg * sum(W * W) = {penalty:.6g}", f"{loss - loss0:.6g}",
                              "the regularization term is reg * np.sum(W * W), added once to the mean data loss")
            if relative_error(dW, dW0 + 2 * p.reg * p.W) > ctx.tol.value_rel_error:
                off = dW - dW0 - 2 * p.reg * p.W
                raise Failure("dW(W, reg) - dW(W, 0) = 2 * reg * W",
                              f"dW(W, reg) - dW(W, 0) = {multiple_of(dW - dW0, p.reg * p.W):.4g} * reg * W at best "
                              f"fit; largest entry of dW(W, reg) - dW(W, 0) - 2 * reg * W: "
                              f"{float(np.max(np.abs(off))):.3g} (reg = {p.reg:.3g}, largest |2 * reg * W|: "
                              f"{float(np.max(np.abs(2 * p.reg * p.W))):.3g})",
                              "the derivative of reg * sum(W * W) is 2 * reg * W, added once")

        def unmodified(a):
            p = a["problem"]
            require_unmodified(lambda W, X, y: fn(W, X, y, p.reg), {"W": p.W, "X": p.X, "y": p.y},
                               "work on a copy (or new arrays) instead of changing the inputs in place", each=True)

        props = {
            "loss >= 0 for any W, X, y and reg >= 0": nonnegative,
            "reordering the examples changes nothing": permute_examples,
            "relabelling the classes (permuting W's columns) changes nothing": permute_classes,
            "the data set twice over gives the same loss and dW (a mean, not a sum)": duplicated,
            "L(W, reg) - L(W, 0) = reg * sum(W * W), and the gradients differ by 2 * reg * W": separable,
            "W, X and y are left unmodified": unmodified,
        }
        if kind is SOFTMAX:
            props["adding a constant to every score leaves the loss unchanged"] = (
                lambda a: _shifted(ctx, fn, a["problem"], a["shift"]))
        if not callable(fn):
            yield ctx.run("the answer is a function", lambda: require_callable(fn, "the loss function"), len(props))
            return
        yield from each_holds_for_all(ctx, problem_examples(), props)
        if kind is SVM:
            yield ctx.run("a W with zero loss keeps zero loss when scaled by c >= 1 (lecture: 2W)",
                          holds_for_all(ctx, _zero_loss_svm_problems(),
                                        lambda a: _scaled_zero(fn, a["problem"], a["c"])))
    return run


@st.composite
def _zero_loss_svm_problems(draw):
    """X = I and W = scores where each true class beats the others by a margin >= 1; a scale c >= 1."""
    n = draw(st.integers(1, 5))
    c = draw(st.integers(2, 5))
    scores = draw(float_arrays((n, c), 5.0))
    y = draw(permutations(c).map(lambda perm: perm[np.arange(n) % c]))
    others = scores.copy()
    others[np.arange(n), y] = -np.inf
    scores[np.arange(n), y] = others.max(axis=1) + 1.0 + draw(st.floats(0.0, 3.0, allow_subnormal=False))
    return {"problem": scores_problem(scores, y), "c": draw(st.floats(1.0, 10.0))}


def _scaled_zero(fn, p: Problem, c: float):
    loss, _ = _loss_and_grad(fn, p)
    if abs(loss) > 1e-9:
        raise Failure("loss 0 when every true class beats the others by >= 1", f"{loss:.6g}",
                      "a margin that is satisfied costs nothing: max(0, s_j - s_y + 1) with delta = 1, j != y_i")
    scaled, _ = _loss_and_grad(fn, Problem(p.W * c, p.X, p.y, 0.0))
    if abs(scaled) > 1e-9:
        raise Failure(f"loss 0 for {c:g} * W", f"{scaled:.6g}",
                      "scaling W by c >= 1 only widens satisfied margins; check the hinge max(0, .)")


def _shifted(ctx, fn, p: Problem, shift: float):
    n, d, c = p.shape
    X = np.hstack([p.X, np.ones((n, 1))])
    W = np.vstack([p.W, np.zeros((1, c))])
    loss, _ = _loss_and_grad(fn, Problem(W, X, p.y, 0.0))
    W_shifted = W.copy()
    W_shifted[-1, :] = shift
    loss2, _ = _loss_and_grad(fn, Problem(W_shifted, X, p.y, 0.0))
    _expect_same(ctx, f"after adding {shift:g} to every score", loss2, loss)


# The gradient criteria all compare dW with centered differences, which an answer ignoring its inputs
# cannot meet, and a correct dW deserves its points even when the loss value is wrong: no basic case.
for _kind in (SVM, SOFTMAX):
    _basic = basic_case(_kind)
    check(f"{_kind.key}_sanity", basic=_basic)(sanity(_kind))
    check(f"{_kind.key}_loss_value", basic=_basic)(loss_values(_kind))
    check(f"{_kind.key}_gradient")(gradients(_kind))
    check(f"{_kind.key}_properties", basic=_basic)(properties(_kind))
check("softmax_stability", basic=basic_case(SOFTMAX))(stability(SOFTMAX))
