"""Check registry: course.yaml names a check for every autograded test cell.

A check may declare a *basic case*: the function doing its job on one small, ordinary input. Every
criterion of the cell earns credit only once the basic case holds (DESIGN.md principle 10), so an
answer that ignores its inputs (zeros, a constant, an echoed input, random numbers) scores 0 on the
properties it would satisfy trivially.

A check is `check(answer, ctx)`: `answer` is what the hidden test cell names, a function as an
`Answer` (grader/answers.py), the same interface in the student's kernel and in the grading worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..course_model import Param
from ..outcome import CheckContext, Result

CheckFn = Callable[[object, CheckContext], Iterable[Result]]


@dataclass(frozen=True)
class BasicCase:
    """What the function must get right before any other criterion of a cell earns credit.

    `body(answer, ctx)` raises `Failure` (or lets the student's exception through) when the answer
    does not do its job on the basic case. Shared by the checks of one function family."""

    checked: str
    body: Callable[[object, CheckContext], None]

    def run(self, answer, ctx: CheckContext) -> Result:
        return ctx.run(self.checked, lambda: self.body(answer, ctx))


CHECKS: dict[str, CheckFn] = {}
BASIC_CASES: dict[str, BasicCase] = {}
PARAMS: dict[str, dict[str, Param]] = {}


def check(name: str, basic: BasicCase | None = None,
          params: dict[str, Param] | None = None) -> Callable[[CheckFn], CheckFn]:
    """Register `fn(answer, ctx) -> iterable of Result` under `name` (the `check:` of course.yaml),
    with the basic case that gates its credit (None: every criterion is itself a value check that an
    answer ignoring its inputs fails) and the `params` a test cell may set (course.yaml rejects any
    other; `ctx.params` holds their defaults when a cell does not set them)."""

    def register(fn: CheckFn) -> CheckFn:
        if name in CHECKS:
            raise ValueError(f"two checks are named {name!r}")
        CHECKS[name] = fn
        if basic is not None:
            BASIC_CASES[name] = basic
        PARAMS[name] = dict(params or {})
        return fn

    return register


def is_check(name: str) -> bool:
    return name in CHECKS


def get_check(name: str) -> CheckFn:
    return CHECKS[name]


def get_basic_case(name: str) -> BasicCase | None:
    return BASIC_CASES.get(name)


def get_params(name: str) -> dict[str, Param]:
    return PARAMS.get(name, {})
