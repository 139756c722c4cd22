"""The answers of the check tables (tests/check_tables.py), loaded into grading workers the way the
trusted step loads a notebook's answer cells, and graded both ways: in this process on the plain
answer, and through the worker's stand-ins as `TrustedGrading._check` grades them.

Every table entry becomes one `Entry`, in one `Unit` (one worker session):
- a function or class of a tests/implementations*.py module: looked up by its name (or a module-level
  alias) in a session whose one answer cell is that module's source;
- a function built from answer cells by test_checks_vectorized (its cells are in linecache): looked up
  in a session of those cells;
- plain data (the questions' numbers and letters, the hyperparameters, the feature experiment): an
  answer cell binds it, written as a literal, to the names the hidden test passes;
and everything else is a `Skip`, with its reason.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import inspect
import linecache
import math
import re
import time
from pathlib import Path

import nbformat
import numpy as np

from check_tables import all_check_tables
from grader.course import load_course
from grader.grading import feedback_text, run_check
from grader.preprocessors.trusted_grading import hidden_test_call
from grader.sandbox.proxies import ANSWER_CELL_LABEL, active, answer_proxy
from grader.sandbox.session import Limits, Session, WorkerFailure

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
# The course, with fewer Hypothesis examples per property than course.yaml's: what crosses the worker's
# channel, and how, does not depend on how many examples are drawn, and the full budget's power to find
# each bug is what the test_checks_* modules assert in this process. Measured on the whole of
# test_check_tables_through_worker: 68 CPU-seconds with 5 examples, 83 with course.yaml's 15 (most of
# the rest is Hypothesis shrinking the wrong answers' counterexamples, both ways); with 15 the same
# pairs differ, and vocab_empty_nan loses its points.
HYPOTHESIS_EXAMPLES = 5
_COURSE_FILE = load_course(REPO / "course.yaml", check_notebooks=False)
COURSE = dataclasses.replace(_COURSE_FILE, policy=dataclasses.replace(_COURSE_FILE.policy,
                                                                      hypothesis_max_examples=HYPOTHESIS_EXAMPLES))
SOURCE_NOTEBOOKS = REPO / "solutions"
IMPLEMENTATION_MODULES = tuple(sorted(p.stem for p in TESTS.glob("implementations*.py")))
DATA_UNIT = "data answers"


def first_cells() -> dict[str, str]:
    """check -> the first test cell of course.yaml that runs it (as the test_checks_* modules pick)."""
    first: dict[str, str] = {}
    for _, notebook in COURSE.notebooks():
        for task in notebook.tasks.values():
            for grade_id, cell in task.tests.items():
                first.setdefault(cell.check, grade_id)
    return first


FIRST_CELL_OF = first_cells()


def hidden_answer_expressions() -> dict[str, ast.expr]:
    """grade_id -> the answer expression of its hidden test cell, `grade("<grade_id>", <answer>)`, as the
    source notebooks (what the gradebook holds) write it."""
    found = {}
    for assignment, notebook in COURSE.notebooks():
        nb = nbformat.read(SOURCE_NOTEBOOKS / assignment.name / f"{notebook.name}.ipynb", as_version=4)
        for cell in nb.cells:
            call = hidden_test_call(cell.source) if cell.cell_type == "code" else None
            if call is not None:
                found[call[0]] = call[1]
    return found


@dataclasses.dataclass(frozen=True)
class Entry:
    key: str                   # unique: "<check>/<correct|wrong>/<index>-<name>"
    check: str
    grade_id: str
    correct: bool
    answer: object             # as the table holds it: graded in this process
    unit: str                  # the session it is looked up in
    names: tuple[str, ...]     # the worker's names the answer is made of
    as_tuple: bool = False     # a tuple of several names, as `grade(..., (a, b))` passes them


@dataclasses.dataclass(frozen=True)
class Skip:
    key: str
    reason: str


@dataclasses.dataclass(frozen=True)
class Unit:
    name: str
    cells: tuple[tuple[str, str], ...]   # (label, source), as the worker loads them


@dataclasses.dataclass
class Comparison:
    """One entry graded both ways."""
    key: str
    points: float
    score_here: float
    score_worker: float
    text_here: str
    text_worker: str
    seconds_here: float
    seconds_worker: float


def _shown(answer) -> str:
    name = getattr(answer, "__name__", None)
    return name if isinstance(name, str) else re.sub(r"\W+", "_", repr(answer))[:40].strip("_") or "value"


# -- plain data as source --------------------------------------------------------------------------

LITERAL_NAMES = {"np": np, "inf": math.inf, "nan": math.nan, "array": np.array}
DATA_PRELUDE = "import numpy as np\nfrom math import inf, nan\nfrom numpy import array\n"


def same_data(a, b) -> bool:
    """Equal values of the same types, all the way down (nan equal to nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b))
    if isinstance(a, (np.ndarray, np.generic)):
        return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
    if isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def literal(value) -> str | None:
    """Source that evaluates to exactly `value` (types included), or None."""
    text = repr(value)
    try:
        rebuilt = eval(text, dict(LITERAL_NAMES))  # noqa: S307 - our own tables' reprs
    except Exception:  # noqa: BLE001
        return None
    return text if same_data(value, rebuilt) else None


# -- the plan: which session each entry is looked up in ---------------------------------------------

def _module_name_of(obj, module) -> str | None:
    """The module-level name `obj` has in `module` (its own name first, else an alias)."""
    own = getattr(obj, "__name__", None)
    if isinstance(own, str) and getattr(module, own, None) is obj:
        return own
    return next((name for name, value in vars(module).items() if value is obj and not name.startswith("__")), None)


_CELL_FILE = re.compile(r"<test cell (\d+)-(\d+)>")   # test_checks_vectorized's in_process cells


def _linecache_cells(fn) -> tuple[tuple[str, str], ...] | None:
    """The answer cells a function of test_checks_vectorized was built from, in notebook order."""
    match = _CELL_FILE.fullmatch(getattr(getattr(fn, "__code__", None), "co_filename", ""))
    if match is None:
        return None
    cells, index = [], 0
    while (entry := linecache.cache.get(f"<test cell {match[1]}-{index}>")) is not None:
        cells.append((f"{ANSWER_CELL_LABEL} {index}", "".join(entry[2])))
        index += 1
    # in_process runs the notebook's provided `import numpy as np` before the answer cells; the trusted
    # step loads a provided cell's imports into the worker the same way
    return (("provided cell imports", "import numpy as np"), *cells) if cells else None


@dataclasses.dataclass
class Plan:
    units: dict[str, Unit]
    entries: list[Entry]
    skipped: list[Skip]


@functools.lru_cache(maxsize=None)
def plan() -> Plan:
    tables = all_check_tables()
    modules = {name: importlib.import_module(name) for name in IMPLEMENTATION_MODULES}
    units = {name: Unit(name, ((f"{ANSWER_CELL_LABEL} {name}", inspect.getsource(module)),))
             for name, module in modules.items()}
    expressions = hidden_answer_expressions()
    entries, skipped, data_lines = [], [], []
    cells_units: dict[tuple, str] = {}
    for check in sorted(tables):
        correct, wrong = tables[check]
        for is_correct, answers in ((True, correct), (False, wrong)):
            for index, answer in enumerate(answers):
                key = f"{check}/{'correct' if is_correct else 'wrong'}/{index}-{_shown(answer)}"
                grade_id = FIRST_CELL_OF.get(check)
                if grade_id is None:
                    skipped.append(Skip(key, "no test cell of course.yaml runs this check"))
                    continue
                entry = dict(key=key, check=check, grade_id=grade_id, correct=is_correct, answer=answer)
                if not callable(answer):
                    names = _bind_data(answer, expressions[grade_id], len(entries) + len(skipped), data_lines)
                    if names is None:
                        skipped.append(Skip(key, "plain data that no source literal rebuilds exactly"))
                    else:
                        entries.append(Entry(**entry, unit=DATA_UNIT, names=names[0], as_tuple=names[1]))
                    continue
                home = getattr(answer, "__module__", None)
                if home in modules:
                    name = _module_name_of(answer, modules[home])
                    if name is None:
                        skipped.append(Skip(key, f"not a module-level name of {home} (a closure or a lambda)"))
                    else:
                        entries.append(Entry(**entry, unit=home, names=(name,)))
                    continue
                cells = _linecache_cells(answer)
                if cells is not None:
                    unit = cells_units.setdefault(cells, f"answer cells {len(cells_units)}")
                    units.setdefault(unit, Unit(unit, cells))
                    entries.append(Entry(**entry, unit=unit, names=(answer.__name__,)))
                    continue
                if isinstance(home, str) and home.split(".")[0] == "grader":
                    skipped.append(Skip(key, f"the grader's own {home}.{answer.__name__}, which the worker "
                                             "must not be able to load"))
                    continue
                skipped.append(Skip(key, f"a callable of unknown origin ({home})"))
    if data_lines:
        units[DATA_UNIT] = Unit(DATA_UNIT, ((f"{ANSWER_CELL_LABEL} {DATA_UNIT}", DATA_PRELUDE + "".join(data_lines)),))
    return Plan(units, entries, skipped)


def _bind_data(value, expr: ast.expr, number: int, lines: list[str]) -> tuple[tuple[str, ...], bool] | None:
    """Binds `value` in the data cell to the names the hidden test passes: one name, or, for a test
    that passes a tuple of names, a tuple of as many values spread over as many names (as a notebook
    would have it). A value a tuple of names cannot produce (a list, a tuple of another length, a
    bare number) is bound to one name, as a test passing one name would receive it."""
    if isinstance(expr, ast.Tuple) and type(value) is tuple and len(value) == len(expr.elts):
        parts = [literal(v) for v in value]
        if any(p is None for p in parts):
            return None
        names = tuple(f"answer_{number}_{i}" for i in range(len(parts)))
        lines += [f"{n} = {p}\n" for n, p in zip(names, parts)]
        return names, True
    text = literal(value)
    if text is None:
        return None
    lines.append(f"answer_{number} = {text}\n")
    return (f"answer_{number}",), False


# -- grading both ways -------------------------------------------------------------------------------

def limits() -> Limits:
    """The worker's limits as the trusted step sets them from the course's policy."""
    return Limits(timeout_seconds=COURSE.policy.call_timeout_seconds,
                  memory_bytes=COURSE.policy.worker_memory_mb * 2**20)


def grade_here(entry: Entry) -> tuple[float, str]:
    """(score, feedback) of the plain answer, as `grade()` gives them in the student's kernel."""
    outcome, printed, warned = run_check(COURSE, entry.grade_id, entry.answer)
    return outcome.score, feedback_text(outcome, printed, warned)


def grade_in_worker(session: Session, entry: Entry) -> tuple[float, str]:
    """(score, feedback) through the worker, the steps of TrustedGrading._check: a fresh check scope,
    what was printed before dropped, the answer's stand-ins looked up by name, the check run here, and
    only what the worker printed and warned reported."""
    with session.check_scope():
        session.printed(), session.warnings()
        try:
            parts = tuple(answer_proxy(session, name) for name in entry.names)
        except (NameError, WorkerFailure) as exc:
            return 0.0, f"not graded: the answer could not be looked up: {type(exc).__name__}: {exc}"
        answer = parts if entry.as_tuple else parts[0]
        outcome, _, _ = run_check(COURSE, entry.grade_id, answer)
        return outcome.score, feedback_text(outcome, session.printed(), session.warnings())


def grade_unit(unit: Unit, entries: list[Entry]) -> tuple[list[tuple[str, str]], list[Comparison]]:
    """(the session's load errors, a comparison per entry) for one session's entries."""
    comparisons = []
    with Session(list(unit.cells), limits=limits()) as session, active(session):
        session.ensure_started()
        load_errors = list(session.load_errors)
        for entry in entries:
            start = time.perf_counter()
            score_here, text_here = grade_here(entry)
            middle = time.perf_counter()
            score_worker, text_worker = grade_in_worker(session, entry)
            comparisons.append(Comparison(entry.key, COURSE.test_cell(entry.grade_id).points, score_here,
                                          score_worker, text_here, text_worker, middle - start,
                                          time.perf_counter() - middle))
    return load_errors, comparisons


def grade_unit_named(name: str) -> tuple[str, list[tuple[str, str]], list[Comparison], float]:
    """grade_unit by the unit's name (for a pool of processes): (name, load errors, comparisons, seconds)."""
    start = time.perf_counter()
    the_plan = plan()
    load_errors, comparisons = grade_unit(the_plan.units[name], [e for e in the_plan.entries if e.unit == name])
    return name, load_errors, comparisons, time.perf_counter() - start
