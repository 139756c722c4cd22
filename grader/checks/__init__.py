"""The check library. Each module registers the checks of one kind of answer."""

from .registry import CHECKS, check, get_check, is_check
from . import (  # noqa: F401  (importing a module registers its checks)
    features,
    gradients,
    hinge,
    linear_losses,
    optimization,
    questions,
    regularization,
    softmax_probabilities,
)

__all__ = ["CHECKS", "check", "get_check", "is_check"]
