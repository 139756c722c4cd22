"""The check library. Each module registers the checks of one kind of answer.

Every module of this package is imported here, in name order, so a new check module needs no entry:
write it with `@check(...)` functions and name its checks in course.yaml.
"""

import importlib
import pkgutil

from .registry import CHECKS, check, get_check, get_params, is_check

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")   # importing a module registers its checks

__all__ = ["CHECKS", "check", "get_check", "get_params", "is_check"]
