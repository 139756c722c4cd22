"""The check library. Each module registers the checks of one kind of answer."""

from .registry import CHECKS, check, get_check, get_params, is_check
from . import (  # noqa: F401  (importing a module registers its checks)
    features,
    gradients,
    hinge,
    linear_losses,
    optimization,
    questions,
    regularization,
    softmax_probabilities,
    vectorized,
)

__all__ = ["CHECKS", "check", "get_check", "get_params", "is_check"]
