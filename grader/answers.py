"""A student's answer as the checks see it, wherever it runs.

A check receives what the hidden test cell names: a number, a string, a tuple, a class, or a function.
A function arrives as an `Answer`, one interface with two implementations:

- `LocalAnswer`, a plain function of this process (the student's kernel, `nbgrader validate`, the
  unit tests);
- the stand-in for a function in the grading worker (`grader.sandbox.proxies.RemoteFunction`), during
  `nbgrader autograde`.

Besides being called, an answer can lend the grader's trusted functions to the student's code under the
names it uses (`patched_globals`), have its code read (`read_code`), and have np.random seeded where
it runs (`seed_random`). No check needs to know which implementation it has: `run_check` hands the
checks a plain function as a `LocalAnswer` (`as_answer`), and the trusted step's stand-ins are
`Answer`s already.

A class is never wrapped (the checks subclass it); the stand-in for a class in the worker can seed
np.random there too. `seed_random(value, seed)` seeds wherever a value's code runs.
"""

from __future__ import annotations

import abc
import contextlib
import contextvars
import random
from typing import Callable, ContextManager, Iterator, Protocol, TypeVar

import numpy as np

T = TypeVar("T")
_MISSING = object()


class CodeReader(Protocol[T]):
    """How a check reads an answer's code, from either source an answer may have."""

    def from_cells(self, name: str | None, cells: list[tuple[str, str]]) -> T:
        """The answer cells as text, (label, source) in notebook order, and the name the hidden test
        graded the answer under (None for a function the student's code returned)."""

    def from_function(self, fn: Callable) -> T:
        """A function of this process: its source from linecache, its helpers from its namespace."""


class RunsStudentCode(abc.ABC):
    """Something whose code runs somewhere: np.random can be seeded there."""

    @abc.abstractmethod
    def seed_random(self, seed: int) -> None:
        """Seed np.random where this answer's code runs (it may draw from it, as CS231n's code does)."""


class Answer(RunsStudentCode):
    """A student's function, as the checks use it."""

    @abc.abstractmethod
    def __call__(self, *args, **kwargs):
        """Call the student's function."""

    @abc.abstractmethod
    def patched_globals(self, references: dict[str, Callable]) -> ContextManager[None]:
        """While inside, the given names in the answer's namespace (the notebook's) are the grader's
        trusted functions; restored afterwards."""

    @abc.abstractmethod
    def read_code(self, reader: CodeReader[T]) -> T:
        """The answer's code, handed to whichever of the reader's methods fits where it comes from."""


class LocalAnswer(Answer):
    """A function of this process."""

    def __init__(self, function: Callable):
        self.function = function

    def __call__(self, *args, **kwargs):
        try:
            return self.function(*args, **kwargs)
        except Exception as exc:
            _mark_student_line(exc)
            raise

    @property
    def __name__(self) -> str:
        return getattr(self.function, "__name__", type(self.function).__name__)

    @contextlib.contextmanager
    def patched_globals(self, references: dict[str, Callable]) -> Iterator[None]:
        namespace = getattr(self.function, "__globals__", None)
        if not isinstance(namespace, dict):   # a builtin, a callable object: no namespace of its own
            yield
            return
        saved = {name: namespace.get(name, _MISSING) for name in references}
        namespace.update(references)
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is _MISSING:
                    namespace.pop(name, None)
                else:
                    namespace[name] = value

    def read_code(self, reader: CodeReader[T]) -> T:
        return reader.from_function(self.function)

    def seed_random(self, seed: int) -> None:
        np.random.seed(seed % 2**32)

    def __repr__(self) -> str:
        return repr(self.function)


def _mark_student_line(exc: BaseException) -> None:
    """The line the feedback shows for an exception of the student's code: that of the innermost frame
    of the student's code it passed through (not numpy's own line inside a function the answer
    called), as the grading worker reports it. An exception that already names one keeps it."""
    if getattr(exc, "student_line", None) is not None:
        return
    import traceback

    from .grading import code_kind

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if code_kind(f.filename) == "student"]
    try:
        exc.student_line = frames[-1].line.strip() if frames and frames[-1].line else ""
    except AttributeError:   # an exception that takes no attributes: the feedback finds a line itself
        pass


def as_answer(value):
    """`value` as the checks receive it: a plain function (any callable but a class) as a
    `LocalAnswer`; an `Answer` already, or anything else (a number, a tuple, a class, None), as is."""
    if isinstance(value, Answer) or isinstance(value, type) or not callable(value):
        return value
    return LocalAnswer(value)


def seed_random(value, seed: int) -> None:
    """Seed np.random where `value`'s code runs: an answer's own place (for the stand-in of a function
    or class in the grading worker, the worker). A value with no code of its own (a number, a class of
    this process) runs nowhere but here, and the caller seeds this process's np.random itself."""
    if isinstance(value, RunsStudentCode):
        value.seed_random(seed)


_graded: contextvars.ContextVar[object] = contextvars.ContextVar("graded_answer", default=None)


@contextlib.contextmanager
def grading(answer, seed: int) -> Iterator[None]:
    """While inside, `answer` (as the checks receive it) is the answer being graded (what
    `seed_graded_answer` seeds), and np.random and random start from `seed`, here and where the
    answer runs: an answer that draws from them without a seed of its own gets the same grade every
    time, in the kernel and in the grading worker alike. This process's generators are put back
    afterwards (the kernel's own state is not the grader's to change)."""
    token = _graded.set(answer)
    saved = np.random.get_state(), random.getstate()
    np.random.seed(seed % 2**32)
    random.seed(seed % 2**32)
    seed_graded_answer(seed)
    try:
        yield
    finally:
        np.random.set_state(saved[0])
        random.setstate(saved[1])
        _graded.reset(token)


def seed_graded_answer(seed: int) -> None:
    """Seed np.random where the answer being graded runs (each part of a tuple of answers): what
    Hypothesis does in this process before each example, done where the student's code runs."""
    value = _graded.get()
    for part in value if type(value) is tuple else (value,):
        seed_random(part, seed)
