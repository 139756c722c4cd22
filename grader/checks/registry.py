"""Check registry: course.yaml names a check for every autograded test cell."""

from __future__ import annotations

from typing import Callable, Iterable

from ..outcome import CheckContext, Result

CheckFn = Callable[[object, CheckContext], Iterable[Result]]
CHECKS: dict[str, CheckFn] = {}


def check(name: str) -> Callable[[CheckFn], CheckFn]:
    """Register `fn(answer, ctx) -> iterable of Result` under `name` (the `check:` of course.yaml)."""

    def register(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise ValueError(f"two checks are named {name!r}")
        CHECKS[name] = fn
        return fn

    return register


def is_check(name: str) -> bool:
    return name in CHECKS


def get_check(name: str) -> CheckFn:
    return CHECKS[name]
