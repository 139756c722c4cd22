"""Checks of features.ipynb: the experiment: (feature names, learning rate, reg) for the provided trainer.

Helpers every feature check shares are in features.py.
"""

from __future__ import annotations

import functools
import math

from ..course_model import Param
from ..outcome import CheckContext, Failure
from ..reference import features as ref
from .problems import brief
from .registry import BasicCase, check


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
