"""Every question of the lecture whose answer is a number or a choice, in one table, with one rule.

What counts as a number: an int, a float or a numpy scalar (a 0-d value). A bool, a string ("9") or a
sequence is not a number, whatever it would convert to: a student who types True or "9" gets told to
answer with one number. A choice is a string naming one of the question's options, compared without
case or surrounding spaces. The expected answers live here, with the reason the feedback gives when an
answer is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..outcome import CheckContext, Failure
from .problems import brief
from .registry import check


@dataclass(frozen=True)
class Number:
    value: float
    why: str


@dataclass(frozen=True)
class Numbers:
    """Several numeric answers given together as a tuple, each with its own name in the feedback."""

    parts: tuple[Number, ...]
    asked: str                  # the criterion when the count is wrong, e.g. "svm_q2: 2 answers"
    expected: str               # the count the feedback expects, e.g. "2 answers"
    labels: tuple[str, ...]     # each part's criterion
    names: tuple[str, ...]      # each part's name in "a number for <name>"

    def __iter__(self):         # a Numbers reads like the tuple of its parts
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)


LETTERS = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Choice:
    answer: str                        # the right option, spelled as in `options`
    why: str
    options: tuple[str, ...] = LETTERS
    asked: str = ""                    # the criterion; "<check>: choice" when empty
    expected: str = ""                 # what an answer that is no option should be; "one letter for <check>"
    hint: str = 'answer with the letter of your choice, e.g. "A"'
    quoted: bool = False               # feedback shows the options in quotes, as written ('"w2"')


def losses(name: str, smallest: Number, largest: Number) -> Numbers:
    """The smallest and largest possible value of a loss."""
    return Numbers((smallest, largest), f"{name}: 2 answers", "2 answers",
                   (f"{name}: the smallest possible loss", f"{name}: the largest possible loss"),
                   ("the smallest loss", "the largest loss"))


QUESTIONS: dict[str, Number | Numbers | Choice] = {
    # losses.ipynb
    "svm_q1": Number(0.0, "the car score (4.4) still beats cat (1.3) and frog (2.0) by more than 1: "
                          "every margin stays satisfied"),
    "svm_q2": losses("svm_q2", Number(0.0, "all margins satisfied"),
                     Number(math.inf, "a margin violation can be arbitrarily large")),
    "svm_q3": Number(9.0, "with all scores ~0 each of the C - 1 wrong classes costs max(0, 0 - 0 + 1) = 1"),
    "svm_q4": Number(10.0, "the j = y_i term adds max(0, s_y - s_y + 1) = 1 to every example"),
    "svm_q5": Choice("A", "averaging over classes scales the loss by 1/(C-1), which does not move its minimum"),
    "svm_q6": Choice("B", "squaring changes the trade-off between violations: it is a different loss and classifier"),
    "svm_q7": Choice("B", "if L(W) = 0 then every margin is >= 1, and 2W doubles every margin"),
    "softmax_q1": losses("softmax_q1", Number(0.0, "-log 1 when the true class gets all the probability"),
                         Number(math.inf, "-log p goes to infinity as p goes to 0")),
    "softmax_q2": Number(math.log(10),
                         "with equal scores every class gets probability 1/C, so L_i = -log(1/C) = log C"),
    "svm_vs_softmax": Choice("B", "the SVM loss is 0 once the margins are satisfied; softmax always wants more "
                                  "probability on the true class"),
    # gradients.ipynb
    "finite_difference_forward": Number(3.31, "((1 + h)^3 - 1^3) / h = 3 + 3h + h^2 = 3.31 for h = 0.1"),
    "finite_difference_centered": Number(3.01, "((1 + h)^3 - (1 - h)^3) / (2h) = 3 + h^2 = 3.01 for h = 0.1"),
    "finite_difference_order": Number(100.0, "the centered error is h^2 for x^3: dividing h by 10 divides it by 100"),
    "finite_difference_tiny_h": Choice("B", "f(x + h) and f(x - h) share almost all their digits; their difference "
                                            "is rounding noise of about 1e-16 * |f| / h, which grows as h shrinks"),
    "numerical_gradient_cost": Number(61460.0, "2 evaluations per entry and W has 3073 * 10 = 30730 entries"),
    "numerical_vs_analytic": Choice("B", "the analytic gradient is exact and fast, the numerical one approximate "
                                         "and slow: train with the analytic gradient and check it numerically"),
    "kink_numerical_gradient": Number(0.55, "(max(0, 1e-6 + 1e-5) - max(0, 1e-6 - 1e-5)) / 2e-5 = 1.1e-5 / 2e-5"),
    "kink_relative_error": Number(0.45 / 1.55, "|0.55 - 1| / (0.55 + 1) = 0.45 / 1.55"),
    "kink_fix": Choice("B", "the centered difference straddles the kink at 0 only when |x| < h: check at x = 1e-3 "
                            "or with h = 1e-7 and both sides are on the line of slope 1"),
    # regularization.ipynb
    "reg_l2_prefers": Choice("w2", "both give the score 1, but R_2(w1) = 1^2 = 1 while R_2(w2) = 4 * 0.25^2 = 0.25: "
                                   "the lower penalty wins, so L2 prefers the spread-out w2",
                             options=("w1", "w2"), asked="which of w1, w2 L2 regularization prefers",
                             expected='"w1" or "w2"', hint='answer with the name of the vector, as a string: '
                                                           '"w1" or "w2"', quoted=True),
    "reg_l1_penalties": Numbers(
        (Number(1.0, "R_1(w1) = |1| + |0| + |0| + |0| = 1 (sum of absolute values, reg = 1)"),
         Number(1.0, "R_1(w2) = 4 * |0.25| = 1 (sum of absolute values, reg = 1): a tie with w1")),
        "the L1 penalties of w1 and w2: 2 answers", "2 answers (R_1(w1), R_1(w2))",
        ("the L1 penalty R_1(w1) = sum of |w| (reg = 1)", "the L1 penalty R_1(w2) = sum of |w| (reg = 1)"),
        ("R_1(w1)", "R_1(w2)")),
    "reg_sparsity": Choice("A", "L2's gradient 2 * reg * w fades as w gets small, so weights shrink but stay non-zero; "
                                "L1's pull reg * sign(w) stays just as strong near 0, so it drives weights to exactly "
                                "0: L1 gives sparse weights",
                           options=("A", "B"), asked="which penalty tends to produce sparse weights",
                           expected='one letter, "A" or "B"'),
}


def expect_number(spec: Number, answer, rel: float, name: str) -> None:
    """The one rule for a numeric answer: a real 0-d number within `rel` of the value (exactly, for inf)."""
    if answer is None:
        raise Failure(f"a number for {name}", "None (not answered)", "replace None with your answer and run the cell")
    if isinstance(answer, (str, bytes, bool, np.bool_)) or np.ndim(answer) != 0:
        raise Failure(f"a number for {name}", f"{type(answer).__name__} {brief(answer, 40)}", "answer with one number")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        raise Failure(f"a number for {name}", f"{type(answer).__name__} {brief(answer, 40)}") from None
    if math.isinf(spec.value):
        ok = value == spec.value
    else:
        ok = abs(value - spec.value) <= max(1e-9, rel * abs(spec.value))
    if not ok:
        raise Failure(f"{spec.value:.6g}", f"{value:.6g}", spec.why)


def expect_choice(spec: Choice, answer, name: str) -> None:
    """The one rule for a choice: a string naming one of the options, whatever its case and spaces."""
    options = {o.casefold(): o for o in spec.options}
    if spec.quoted and answer is None:
        raise Failure(spec.expected, "None (not answered)", "replace None with your answer and run the cell")
    if not isinstance(answer, str) or answer.strip().casefold() not in options:
        raise Failure(spec.expected or f"one letter for {name}", f"{brief(answer, 40)}", spec.hint)
    chosen = options[answer.strip().casefold()]
    if chosen != spec.answer:
        if spec.quoted:
            raise Failure(f'"{spec.answer}"', brief(answer.strip(), 60), spec.why)
        raise Failure(spec.answer, chosen, spec.why)


def _question_check(name: str, spec):
    def run(answer, ctx: CheckContext):
        rel = ctx.tol.answer_rel_error
        if isinstance(spec, Numbers):
            if not isinstance(answer, (tuple, list)) or len(answer) != len(spec):
                def wrong_count():
                    raise Failure(spec.expected, f"{brief(answer, 60)}")
                yield ctx.run(spec.asked, wrong_count, weight=len(spec))
                return
            for part, value, label, what in zip(spec.parts, answer, spec.labels, spec.names):
                yield ctx.run(label, lambda s=part, v=value, w=what: expect_number(s, v, rel, w))
        elif isinstance(spec, Number):
            yield ctx.run(f"{name}: numeric answer", lambda: expect_number(spec, answer, rel, name))
        else:
            yield ctx.run(spec.asked or f"{name}: choice", lambda: expect_choice(spec, answer, name))
    return run


QUESTION_CHECKS: set[str] = set()


def register_questions(specs: dict) -> None:
    """Register one check per question: name -> Number, Numbers or Choice."""
    for name, spec in specs.items():
        check(name)(_question_check(name, spec))
        QUESTION_CHECKS.add(name)


register_questions(QUESTIONS)
