"""The check library. Each module registers the checks of one kind of answer."""

from .registry import CHECKS, check, get_check, is_check
from . import hinge, linear_losses, questions, softmax_probabilities  # noqa: F401  (registers checks)

__all__ = ["CHECKS", "check", "get_check", "is_check"]
