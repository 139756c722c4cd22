"""What a check returns: criteria that passed or failed, each with teaching feedback.

A check is a generator of `Result`s. Each criterion's body runs through `CheckContext.run`, which
turns a `Failure` (raised by `expect_*` helpers) or any exception from the student's code into a
failed `Result`, so one broken criterion never hides the others.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .course_model import Data, Policy

_PACKAGE_DIR = str(Path(__file__).resolve().parent)


class Failure(Exception):
    """A criterion did not hold: what was expected, what came back, and the likely cause."""

    def __init__(self, expected: str, got: str, cause: str = "", counterexample: str = ""):
        super().__init__(f"expected {expected}, got {got}")
        self.expected = expected
        self.got = got
        self.cause = cause
        self.counterexample = counterexample


@dataclass
class Result:
    checked: str
    passed: bool
    weight: float = 1.0
    expected: str = ""
    got: str = ""
    cause: str = ""
    counterexample: str = ""

    def lines(self) -> list[str]:
        if self.passed:
            return [f"  PASS  {self.checked}"]
        out = [f"  FAIL  {self.checked}"]
        if self.expected:
            out.append(f"        expected: {self.expected}")
        if self.got:
            out.append(f"        got:      {self.got}")
        if self.counterexample:
            out.append("        smallest failing example:")
            out.extend(f"          {line}" for line in self.counterexample.splitlines())
        if self.cause:
            out.append(f"        likely cause: {self.cause}")
        return out


@dataclass
class Outcome:
    grade_id: str
    points: float
    results: list[Result] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    basic: Result | None = None   # the basic case that gates every criterion's credit, if the check has one

    @property
    def gated(self) -> bool:
        """The basic case failed: the cell earns nothing, whatever else holds."""
        return self.basic is not None and not self.basic.passed

    @property
    def fraction(self) -> float:
        if self.gated:
            return 0.0
        total = sum(r.weight for r in self.results)
        if total == 0:
            return 0.0
        return sum(r.weight for r in self.results if r.passed) / total

    @property
    def score(self) -> float:
        # A plain float with a short repr: nbgrader parses the cell's text/plain as the score.
        return float(round(self.points * self.fraction, 3))

    def report(self) -> str:
        if self.gated:
            lines = [f"{self.grade_id}: 0 / {self.points:g} points (the basic case failed)", *self.basic.lines(),
                     "        This cell's other criteria earn points only once your answer does its job on",
                     "        this basic case, so they were not run."]
            lines.extend(self.notes)
            return "\n".join(lines)
        passed = sum(r.passed for r in self.results)
        head = (f"{self.grade_id}: {self.score:g} / {self.points:g} points "
                f"({passed} of {len(self.results)} checks passed)")
        lines = [head]
        if self.basic is not None:
            lines.extend(self.basic.lines())
        for r in self.results:
            lines.extend(r.lines())
        lines.extend(self.notes)
        return "\n".join(lines)


def message_of(exc: BaseException, limit: int = 500) -> str:
    """str(exc), at most `limit` characters, or a placeholder if it raises: an exception can come
    from the student's code (in their kernel, with their own __str__)."""
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001
        return "(its message could not be read)"
    return text if len(text) <= limit else text[:limit] + " [...]"


class WorkerFailure(Exception):
    """The grading worker timed out, died or sent something unreadable: what happened, in words."""


class OutOfTime(WorkerFailure):
    """A grading-time budget ran out while the student's code was being checked."""


def explain_exception(exc: BaseException) -> tuple[str, str]:
    """(what came back, likely cause) for an exception raised by the student's code."""
    if isinstance(exc, OutOfTime):       # a grading-time budget ran out: slow, not stuck
        return str(exc), "make each call fast: the checks call your function many times, on small inputs"
    if isinstance(exc, WorkerFailure):   # the student's code timed out, crashed or exited
        return str(exc), "your code must return: check for endless loops, huge arrays and exit() calls"
    # An exception raised in the grading worker carries its type name and the student's line.
    got = f"{getattr(exc, 'type_name', type(exc).__name__)}: {message_of(exc)}".strip().rstrip(":")
    line = getattr(exc, "student_line", None)
    if line is None:
        # The innermost frame from the student's code says where it went wrong.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_PACKAGE_DIR)]
        line = frames[-1].line if frames and frames[-1].line else ""
    if line:
        got += f" (at `{line.strip()}`)"
    if isinstance(exc, NotImplementedError):
        return got, "the function is still the stub: replace `raise NotImplementedError()` with your code"
    if isinstance(exc, (IndexError, ValueError)) and ("shape" in message_of(exc) or "broadcast" in message_of(exc)):
        return got, "an array has the wrong shape: check W (D, C), X (N, D), y (N,) and scores (N, C)"
    return got, ""


@dataclass
class CheckContext:
    """Everything a check may use besides the student's answer: the course's grading policy."""

    policy: Policy
    params: dict = field(default_factory=dict)   # the test cell's `params` from course.yaml
    data: Data = field(default_factory=Data)
    course_root: Path | None = None

    @property
    def tol(self):
        return self.policy.tolerances

    def rng(self, salt: int = 0) -> np.random.Generator:
        # Each criterion gets its own stream, so the order checks run in never changes their data.
        return np.random.default_rng([self.policy.seed, salt])

    def run(self, checked: str, body: Callable[[], None], weight: float = 1.0) -> Result:
        try:
            body()
        except Failure as f:
            return Result(checked, False, weight, f.expected, f.got, f.cause, f.counterexample)
        except Exception as exc:  # the student's code failed: report it, keep grading
            got, cause = explain_exception(exc)
            return Result(checked, False, weight, "the call to return normally", got, cause)
        return Result(checked, True, weight)
