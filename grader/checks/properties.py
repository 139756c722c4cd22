"""Hypothesis, set up for grading: deterministic, quiet, and reporting the shrunk counterexample.

Strategies are small composable functions built on `hypothesis.extra.numpy`; `holds_for_all` turns a
property into a criterion body for `CheckContext.run`.
"""

from __future__ import annotations

import contextlib
import importlib
from typing import Callable, Iterator

import hypothesis
import numpy as np
from hypothesis import HealthCheck, Phase, Verbosity, given, register_random, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..answers import seed_graded_answer
from ..outcome import CheckContext, Failure, Result, explain_exception
from .problems import Problem, fmt


def finite_floats(bound: float) -> st.SearchStrategy[float]:
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def float_arrays(shape, bound: float) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=finite_floats(bound))


def labels(n: int, c: int) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.int64, n, elements=st.integers(0, c - 1))


def regs() -> st.SearchStrategy[float]:
    return st.sampled_from([0.0, 0.1, 1.0]) | st.floats(0.0, 2.0, allow_subnormal=False)


def permutations(n: int) -> st.SearchStrategy[np.ndarray]:
    return st.permutations(range(n)).map(np.array)


@st.composite
def problems(draw, max_n: int = 5, max_d: int = 4, max_c: int = 4, reg=None) -> Problem:
    """Loss-function inputs: W (D, C), X (N, D), y (N,) labels in [0, C), reg >= 0."""
    n = draw(st.integers(1, max_n))
    d = draw(st.integers(1, max_d))
    c = draw(st.integers(2, max_c))
    return Problem(draw(float_arrays((d, c), 2.0)), draw(float_arrays((n, d), 3.0)),
                   draw(labels(n, c)), draw(reg if reg is not None else regs()))


@st.composite
def score_matrices(draw, max_n: int = 5, max_c: int = 5, bound: float = 10.0):
    """(scores (N, C), y (N,))."""
    n = draw(st.integers(1, max_n))
    c = draw(st.integers(2, max_c))
    return draw(float_arrays((n, c), bound)), draw(labels(n, c))


@st.composite
def scored_examples(draw, bound: float = 10.0, shift: float = 100.0) -> dict:
    """{"scores": (N, C), "y": (N,), "shift": a constant to add to every score}."""
    scores, y = draw(score_matrices(bound=bound))
    return {"scores": scores, "y": y, "shift": draw(st.floats(-shift, shift, allow_subnormal=False))}


def problem_examples() -> st.SearchStrategy[dict]:
    """{"problem": Problem, "seed": for a permutation, "shift": a constant to add to every score}."""
    return st.fixed_dictionaries({"problem": problems(), "seed": st.integers(0, 2**16),
                                  "shift": st.floats(-30, 30, allow_subnormal=False)})


def describe(example) -> str:
    """The example as the student would write it: one `name = value` line per input."""
    if isinstance(example, Problem):
        return example.describe()
    if isinstance(example, dict):
        return "\n".join(v.describe() if isinstance(v, Problem) else f"{k} = {fmt(v)}" for k, v in example.items())
    return fmt(example)


class HookMissing(RuntimeError):
    """The private Hypothesis hook that keeps draws independent of imported modules is gone."""




def require_constants_hook():
    """Hypothesis' providers module, with the private names grading replaces; HookMissing if gone."""
    providers = importlib.import_module("hypothesis.internal.conjecture.providers")
    missing = [n for n in ("_get_local_constants", "CONSTANTS_CACHE", "Constants") if not hasattr(providers, n)]
    if missing:
        raise HookMissing(f"hypothesis {hypothesis.__version__}: hypothesis.internal.conjecture.providers no longer "
                          f"has {', '.join(missing)}, which grading replaces so that draws do not depend on the "
                          "imported modules; install the Hypothesis version pyproject.toml names")
    return providers


@contextlib.contextmanager
def _without_local_constants() -> Iterator[None]:
    """Hypothesis mixes number literals from 'local' modules (any imported module outside
    site-packages) into its draws, so the examples, and a grade, would depend on what happens to be
    imported: the student's own modules, or an editable install of this package. While grading,
    draws use Hypothesis' built-in constants only. The hook is private: if a Hypothesis release renames
    it, grading stops with a clear error rather than silently grading on different examples."""
    providers = require_constants_hook()
    original, cache = providers._get_local_constants, providers.CONSTANTS_CACHE
    empty = providers.Constants()
    providers._get_local_constants = lambda: empty
    cache.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.cache.clear()


def _settings(ctx: CheckContext) -> settings:
    # derandomize=True and database=None: the same examples, and so the same grade, on every run.
    return settings(max_examples=ctx.policy.hypothesis_max_examples, derandomize=True, database=None,
                    deadline=None, verbosity=Verbosity.quiet, print_blob=False, report_multiple_bugs=False,
                    suppress_health_check=list(HealthCheck),
                    phases=(Phase.explicit, Phase.generate, Phase.shrink))


class _Violated(Exception):
    def __init__(self, name: str, cause: BaseException):
        super().__init__(name)
        self.name = name
        self.cause = cause


def _as_failure(exc: BaseException, example) -> Failure:
    if isinstance(exc, Failure):
        f = exc
    elif type(exc).__module__.startswith("hypothesis"):
        f = Failure("the call to return normally", type(exc).__name__,
                    "the function gives different results for the same inputs: does it use randomness "
                    "or change its inputs?")
    else:
        got, cause = explain_exception(exc)
        f = Failure("the call to return normally", got, cause)
    f.counterexample = describe(example) if example is not None else ""
    return f


def each_holds_for_all(ctx: CheckContext, strategy: st.SearchStrategy,
                       props: dict[str, Callable[..., None]], weights: dict[str, float] | None = None) -> list[Result]:
    """One Result per property: `props[name](example)` must hold for every example Hypothesis draws.

    The properties share the drawn examples (drawing is most of the cost). When one fails, Hypothesis
    shrinks to the smallest failing example, that property is recorded as failed with it, and the
    remaining properties are run again, until every property has passed or failed.
    """
    remaining = list(props)
    failures: dict[str, Failure] = {}
    last_failing: dict = {}   # the example that failed in the current round (the closure fills it)
    while remaining:
        last_failing.clear()

        @_settings(ctx)
        @given(strategy)
        def property_test(example):
            for name in remaining:
                try:
                    props[name](example)
                except BaseException as exc:
                    last_failing["example"] = example
                    raise _Violated(name, exc) from None

        try:
            with _without_local_constants():
                property_test()
            break
        except _Violated as v:
            failures[v.name] = _as_failure(v.cause, last_failing.get("example"))
            remaining.remove(v.name)
        except HookMissing:
            raise                 # the grader's own environment is wrong: never a student's failure
        except Exception as exc:  # Hypothesis itself objected (e.g. a flaky function): fail the rest
            for name in remaining:
                failures[name] = _as_failure(exc, last_failing.get("example"))
            break
    results = []
    for name in props:
        w = (weights or {}).get(name, 1.0)
        f = failures.get(name)
        results.append(Result(name, True, w) if f is None else
                       Result(name, False, w, f.expected, f.got, f.cause, f.counterexample))
    return results


def holds_for_all(ctx: CheckContext, strategy: st.SearchStrategy, prop: Callable[..., None]) -> Callable[[], None]:
    """A criterion body for `CheckContext.run`: `prop(example)` must hold for every drawn example."""

    def body() -> None:
        [result] = each_holds_for_all(ctx, strategy, {"property": prop})
        if not result.passed:
            raise Failure(result.expected, result.got, result.cause, result.counterexample)

    return body


class _WhereTheAnswerRuns:
    """np.random and random where the answer being graded runs, as Hypothesis sees a generator
    registered with it: before each example Hypothesis seeds this process's np.random and random and
    calls `seed` here with the same seed, so an answer running in the grading worker is seeded there
    as it would be here, and an answer that draws without a seed repeats itself in both. (The seeding
    is Hypothesis' own, per example, shrinking included; property_test's source, from which
    `derandomize` derives the examples, is untouched.) The worker's generators are not put back after
    an example, as this process's are: the next example seeds them again."""

    def seed(self, seed: int) -> None:
        seed_graded_answer(seed)

    def getstate(self) -> None:
        return None

    def setstate(self, state) -> None:
        pass


_WHERE_THE_ANSWER_RUNS = _WhereTheAnswerRuns()   # held here: Hypothesis keeps only a weak reference
register_random(_WHERE_THE_ANSWER_RUNS)


require_constants_hook()   # at import: nbgrader stops before grading anyone if the hook is gone
