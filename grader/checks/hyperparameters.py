"""Checks of optimization.ipynb: The tuned hyperparameters: the reference Softmax retrained with them.

Helpers these checks share with the notebook's other checks are in optimization.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import data as datasets
from ..course_model import Param
from ..outcome import CheckContext, Failure
from ..reference import optimization as ref
from .optimization import basic_case, seeded
from .problems import brief
from .registry import check

DIGITS_MIN_VAL_ACCURACY = 0.93  # course.yaml's params.min_val_accuracy overrides it
CIFAR10_MIN_VAL_ACCURACY = 0.30  # not calibrated here (no CIFAR-10 in CI): set params.cifar10_min_val_accuracy


def _tuning_data(ctx: CheckContext) -> tuple[dict, str, float, tuple]:
    """(data, its name, the minimum validation accuracy, a key naming the data) for the tuning check."""
    folder = ctx.data.cifar10_dir
    if folder:
        path = Path(folder)
        if not path.is_absolute() and ctx.course_root is not None:
            path = ctx.course_root / path
        sizes = [int(ctx.params.get(f"cifar10_num_{part}", default))
                 for part, default in (("train", 5000), ("val", 1000), ("test", 1000))]
        try:
            data = datasets.cifar10(path, *sizes)
        except (OSError, KeyError, ValueError, EOFError) as exc:  # pickle errors included
            raise Failure("CIFAR-10's python batches in the folder course.yaml names (data.cifar10_dir)",
                          f"{type(exc).__name__}: {exc}",
                          "a problem of the course's configuration, not of your answer: "
                          "please tell your instructor") from None
        return (data, "CIFAR-10", float(ctx.params.get("cifar10_min_val_accuracy", CIFAR10_MIN_VAL_ACCURACY)),
                ("cifar10", str(path), *sizes))
    return (datasets.digits(), "digits", float(ctx.params.get("min_val_accuracy", DIGITS_MIN_VAL_ACCURACY)),
            ("digits",))


def _positive(value, name: str, allow_zero: bool) -> float:
    if value is None:
        raise Failure(f"a number for {name}", "None (not answered)",
                      "replace None with the value you chose and run the cell")
    if isinstance(value, bool):
        raise Failure(f"a number for {name}", brief(value, 60))
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise Failure(f"a number for {name}", f"{type(value).__name__} {brief(value, 40)}") from None
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise Failure(f"{name} {'>= 0' if allow_zero else '> 0'}", f"{number!r}")
    return number


TUNING_PARAMS = {
    "min_val_accuracy": Param("number", DIGITS_MIN_VAL_ACCURACY,
                              "the validation accuracy on digits the reference must reach with the student's values"),
    "reference_val_accuracy": Param("number", None, "the reference's own accuracy with its pick: a calibration record"),
    "cifar10_min_val_accuracy": Param("number", CIFAR10_MIN_VAL_ACCURACY,
                                      "the same on CIFAR-10, when data.cifar10_dir is set"),
    "cifar10_num_train": Param("integer", None, "CIFAR-10 training images used"),
    "cifar10_num_val": Param("integer", None, "CIFAR-10 validation images used"),
    "cifar10_num_test": Param("integer", None, "CIFAR-10 test images used"),
    "num_iters": Param("integer", None, "training iterations of the reference"),
    "batch_size": Param("integer", None, "minibatch size of the reference"),
}


def _tuning_values(answer) -> tuple[float, float]:
    if not isinstance(answer, (tuple, list)) or len(answer) != 2:
        raise Failure("(best_learning_rate, best_reg)", f"{brief(answer, 60)}")
    return _positive(answer[0], "best_learning_rate", False), _positive(answer[1], "best_reg", True)


@dataclass(frozen=True)
class Tuning:
    """The reference Softmax trained with the student's values: what the tuning checks judge."""

    lr: float
    reg: float
    name: str            # the data set
    minimum: float       # the validation accuracy a good pick reaches (course.yaml)
    chance: float        # the accuracy of guessing, 1 / number of classes
    num_iters: int
    batch_size: int
    val: float           # validation accuracy, 0 when training diverged
    diverged: bool

    def training(self) -> str:
        return (f"the reference Softmax trained with learning_rate = {self.lr:g}, reg = {self.reg:g}, "
                f"num_iters = {self.num_iters}, batch_size = {self.batch_size}")


_TUNING_CACHE: dict[tuple, tuple[float, bool]] = {}


def _tuning(answer, ctx: CheckContext) -> Tuning:
    """The reference trained once per data set and values (the basic case and the criterion share it)."""
    lr, reg = _tuning_values(answer)
    num_iters = int(ctx.params.get("num_iters", ref.TUNING_NUM_ITERS))
    batch_size = int(ctx.params.get("batch_size", ref.TUNING_BATCH_SIZE))
    data, name, minimum, key = _tuning_data(ctx)
    key = (*key, lr, reg, num_iters, batch_size)
    if key not in _TUNING_CACHE:
        classifier, _ = ref.train_softmax(data["X_train"], data["y_train"], lr, reg, num_iters, batch_size,
                                          ref.TUNING_SEED)
        diverged = not bool(np.all(np.isfinite(classifier.W)))
        val = 0.0 if diverged else ref.accuracy(classifier, data["X_val"], data["y_val"])
        if len(_TUNING_CACHE) >= 64:
            _TUNING_CACHE.clear()
        _TUNING_CACHE[key] = (val, diverged)
    val, diverged = _TUNING_CACHE[key]
    chance = 1.0 / max(1, np.unique(data["y_train"]).size)
    return Tuning(lr, reg, name, minimum, chance, num_iters, batch_size, val, diverged)


def _learned_nothing_cause(t: Tuning) -> str:
    if t.diverged:
        return (f"the training diverged (W overflowed): learning_rate = {t.lr:g} overshoots; pick the combination "
                "of the grid with the highest validation accuracy")
    return ("W barely learned in the iterations given: a learning rate this small barely moves W, a reg this large "
            "keeps W near 0; pick the combination of the grid with the highest validation accuracy")


@basic_case("the reference Softmax trained with your values learns: validation accuracy well above chance", 1006)
def TUNING_BASIC(answer, ctx: CheckContext) -> None:
    """Values the tuning never chose (a learning rate that diverges or barely moves W, a reg that crushes
    it) earn nothing, not even for being numbers; a good but not the best pick passes here and loses
    points on the accuracy criterion. "Well above chance": half way from chance to the minimum."""
    t = _tuning(answer, ctx)
    floor = t.chance + (t.minimum - t.chance) / 2
    if not t.val >= floor:
        raise Failure(f"validation accuracy >= {floor:.3f} on {t.name}, half way from chance ({t.chance:.2f}) to "
                      f"{t.minimum:.3f} ({t.training()})", f"{t.val:.3f}", _learned_nothing_cause(t))


@check("tuned_hyperparameters", basic=TUNING_BASIC, params=TUNING_PARAMS)
@seeded
def tuned_hyperparameters(answer, ctx: CheckContext):
    def accurate():
        t = _tuning(answer, ctx)
        if not t.val >= t.minimum:
            if t.val <= t.chance + (t.minimum - t.chance) / 2:
                cause = _learned_nothing_cause(t)
            else:
                cause = ("pick the combination with the highest validation accuracy; a learning rate too small "
                         "barely moves W in the iterations given, a reg too large shrinks W too much")
            raise Failure(f"validation accuracy >= {t.minimum:.3f} on {t.name} ({t.training()})", f"{t.val:.3f}", cause)

    yield ctx.run("best_learning_rate > 0 and best_reg >= 0 are numbers", lambda: _tuning_values(answer))
    yield ctx.run("the reference Softmax trained with them reaches the validation accuracy", accurate, 2)
