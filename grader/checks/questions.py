"""Checks of the lecture's questions whose answer is a number or a choice.

The expected answers live here, with the reason the feedback gives when an answer is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..outcome import CheckContext, Failure
from .problems import brief
from .registry import check


@dataclass(frozen=True)
class Number:
    value: float
    why: str


@dataclass(frozen=True)
class Choice:
    letter: str
    why: str


QUESTIONS = {
    "svm_q1": Number(0.0, "the car score (4.4) still beats cat (1.3) and frog (2.0) by more than 1: "
                          "every margin stays satisfied"),
    "svm_q2": (Number(0.0, "all margins satisfied"), Number(math.inf, "a margin violation can be arbitrarily large")),
    "svm_q3": Number(9.0, "with all scores ~0 each of the C - 1 wrong classes costs max(0, 0 - 0 + 1) = 1"),
    "svm_q4": Number(10.0, "the j = y_i term adds max(0, s_y - s_y + 1) = 1 to every example"),
    "svm_q5": Choice("A", "averaging over classes scales the loss by 1/(C-1), which does not move its minimum"),
    "svm_q6": Choice("B", "squaring changes the trade-off between violations: it is a different loss and classifier"),
    "svm_q7": Choice("B", "if L(W) = 0 then every margin is >= 1, and 2W doubles every margin"),
    "softmax_q1": (Number(0.0, "-log 1 when the true class gets all the probability"),
                   Number(math.inf, "-log p goes to infinity as p goes to 0")),
    "softmax_q2": Number(math.log(10),
                         "with equal scores every class gets probability 1/C, so L_i = -log(1/C) = log C"),
    "svm_vs_softmax": Choice("B", "the SVM loss is 0 once the margins are satisfied; softmax always wants more "
                                  "probability on the true class"),
}


def _expect_number(spec: Number, answer, rel: float, name: str) -> None:
    if answer is None:
        raise Failure(f"a number for {name}", "None (not answered)", "replace None with your answer and run the cell")
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


def _expect_choice(spec: Choice, answer, name: str) -> None:
    if not isinstance(answer, str) or answer.strip().upper() not in {"A", "B", "C", "D"}:
        raise Failure(f"one letter for {name}", f"{brief(answer, 40)}",
                      "answer with the letter of your choice, e.g. \"A\"")
    if answer.strip().upper() != spec.letter:
        raise Failure(spec.letter, answer.strip().upper(), spec.why)


def _question_check(name: str, spec):
    def run(answer, ctx: CheckContext):
        rel = ctx.tol.answer_rel_error
        if isinstance(spec, tuple):
            if not isinstance(answer, (tuple, list)) or len(answer) != len(spec):
                def wrong_count():
                    raise Failure(f"{len(spec)} answers", f"{brief(answer, 60)}")
                yield ctx.run(f"{name}: {len(spec)} answers", wrong_count, weight=len(spec))
                return
            for i, (part, value) in enumerate(zip(spec, answer)):
                label = ("smallest", "largest")[i] if len(spec) == 2 else str(i + 1)
                yield ctx.run(f"{name}: the {label} possible loss",
                              lambda s=part, v=value, lbl=label: _expect_number(s, v, rel, f"the {lbl} loss"))
        elif isinstance(spec, Number):
            yield ctx.run(f"{name}: numeric answer", lambda: _expect_number(spec, answer, rel, name))
        else:
            yield ctx.run(f"{name}: choice", lambda: _expect_choice(spec, answer, name))
    return run


QUESTION_CHECKS: set[str] = set()


def register_questions(specs: dict) -> None:
    """Register one check per question: name -> Number, Choice, or a tuple of Numbers."""
    for name, spec in specs.items():
        check(name)(_question_check(name, spec))
        QUESTION_CHECKS.add(name)


register_questions(QUESTIONS)
