"""Grades every autograded test cell outside the student's kernel, during `nbgrader autograde`.

Runs after Execute. The hidden tests come from the gradebook (what the instructor released), never
from the submitted notebook; each is `grade("<grade_id>", <answer>)`. The student's answer cells, and
the imports and definitions of the instructor's read-only cells, are loaded into an isolated worker
(grader.sandbox); the checks run here and call the answers there. The outcome is written over the
test cell's outputs (the feedback as text, the score as the last expression's value), where
SaveAutoGrades reads it: nothing the kernel printed decides a grade.

The test cells are graded in the instructor's order (the source notebook's), whatever order the
submitted notebook has, each in its own check scope (see grader.sandbox.session). Grading time is
bounded by the course's budgets: per answer, per notebook, and per student over the assignment's
notebooks (nbgrader grades one student's notebooks one after the other in one process). An answer
cell larger than `max_answer_cell_bytes` is not loaded.
"""

from __future__ import annotations

import ast
import resource
import time
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..course import Course
from ..grading import current_course, feedback_text, load_course_cached, run_check
from ..outcome import Outcome, Result
from ..results import OUTCOME_KEY, outcome_record
from ..sandbox.proxies import ANSWER_CELL_LABEL, active, answer_proxy
from ..sandbox.session import Limits, OutOfTime, Session, TimeLimit, WorkerFailure
from .hold_back_tests import is_autograded_test

KEPT_FROM_PROVIDED_CELLS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def hidden_test_call(source: str) -> tuple[str, ast.expr] | None:
    """(grade_id, answer expression) of the cell's one `grade("<grade_id>", <answer>)` call, where the
    answer is a name or a tuple of names; None for any other hidden test."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
             and n.func.id == "grade"]
    if len(calls) != 1 or len(calls[0].args) != 2 or calls[0].keywords:
        return None
    grade_id, answer = calls[0].args
    if isinstance(grade_id, ast.Constant) and isinstance(grade_id.value, str) and answer_names(answer):
        return grade_id.value, answer
    return None


def answer_names(expr: ast.expr) -> list[str]:
    if isinstance(expr, ast.Name):
        return [expr.id]
    if isinstance(expr, (ast.Tuple, ast.List)):
        names = [answer_names(e) for e in expr.elts]
        return sum(names, []) if all(names) else []
    return []


def answer_value(session: Session, expr: ast.expr):
    """The answer the checks receive: the worker's value of each name, in the expression's shape."""
    if isinstance(expr, ast.Name):
        return answer_proxy(session, expr.id)
    return tuple(answer_value(session, e) for e in expr.elts)


def as_python(source: str) -> str:
    """A cell's IPython syntax (magics, `!` commands) turned into Python, as the kernel would."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def definitions(source: str) -> list[str]:
    """The imports, functions and classes of a provided cell, one statement each, without its
    computations (data loading, plots): what an answer may build on. Each loads on its own, so an
    import the worker cannot satisfy (a plotting library) does not stop the others."""
    try:
        tree = ast.parse(as_python(source))
    except SyntaxError:
        return []
    return [ast.unparse(n) for n in tree.body if isinstance(n, KEPT_FROM_PROVIDED_CELLS)]


def worker_cells(nb: NotebookNode, source_cells: dict, answer_ids: set[str], test_ids: set[str],
                 max_answer_bytes: int | None = None, skipped: dict[str, int] | None = None) -> list[tuple[str, str]]:
    """What the worker loads, in notebook order: the student's answer cells as submitted, and the
    definitions of the read-only cells as the gradebook holds them. An answer cell larger than
    `max_answer_bytes` is left out (before any parsing: a huge cell costs memory and time to read),
    and its size recorded in `skipped`."""
    cells = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or grade_id is None:
            continue
        if grade_id in answer_ids:
            size = len(cell.source.encode("utf-8", "replace"))
            if max_answer_bytes is not None and size > max_answer_bytes:
                if skipped is not None:
                    skipped[grade_id] = size
                continue
            cells.append((f"{ANSWER_CELL_LABEL} {grade_id}", as_python(cell.source)))
        elif grade_id in source_cells and grade_id not in test_ids:
            provided = source_cells[grade_id]
            if provided.locked and provided.cell_type == "code":
                cells.extend((f"provided cell {grade_id}", code) for code in definitions(provided.source))
    return cells


def unanswered(grade_id: str, points: float, name: str, why: str, load_errors) -> Outcome:
    outcome = Outcome(grade_id, points, [Result(f"`{name}` is defined by its answer cell", False,
                                                expected=f"`{name}` defined", got=why,
                                                cause=f"define `{name}` in its answer cell; "
                                                      "the cell must run without errors")])
    for label, error in load_errors:
        if label.startswith(ANSWER_CELL_LABEL):
            outcome.notes.append(f"Your {label} raised {error} when it was loaded.")
    return outcome


def out_of_time(grade_id: str, points: float, why: str) -> Outcome:
    return Outcome(grade_id, points, [Result("grading finished within its time", False,
                                             expected="each call of your code to return in well under a second",
                                             got=why,
                                             cause="make your code fast: no sleeping, no needless long loops")])


def too_large(grade_id: str, points: float, name: str, size: int, limit: int) -> Outcome:
    return Outcome(grade_id, points, [Result(f"`{name}` is loaded from its answer cell", False,
                                             expected=f"an answer cell of at most {limit:,} bytes",
                                             got=f"{size:,} bytes, over the limit of {limit:,} bytes per answer "
                                                 "cell: the cell was not loaded",
                                             cause="keep only your code in the cell (no pasted data or outputs)")])


def not_loaded(skipped: dict[str, int], limit: int) -> list[str]:
    return [f"Your answer cell `{g}` was not loaded for grading: it is {size:,} bytes, over the limit of "
            f"{limit:,} bytes per answer cell." for g, size in skipped.items()]


# Seconds each (student, assignment) has spent in the trusted step in this process.
_SPENT_BY_STUDENT: dict[tuple[str, str], float] = {}


class Budget:
    """The wall-clock budgets of one notebook's trusted step: what each answer's cells may take, and
    what the notebook may take (less where the student's budget for the assignment has less left)."""

    def __init__(self, policy, student: tuple[str, str], start: float):
        left = policy.student_budget_seconds - _SPENT_BY_STUDENT.get(student, 0.0)
        if left < policy.notebook_budget_seconds:
            self.what = (f"for your submission ({policy.student_budget_seconds:g} s for all notebooks "
                         f"of {student[1]})")
            self.end = start + max(left, 0.0)
        else:
            self.what = f"for this notebook ({policy.notebook_budget_seconds:g} s)"
            self.end = start + policy.notebook_budget_seconds
        self.per_answer = policy.answer_budget_seconds
        self.spent: dict[str, float] = {}

    def limit(self, names: list[str]) -> TimeLimit | None:
        """The limit for a cell that grades `names`; None once the notebook's time is gone."""
        now = time.monotonic()
        if now >= self.end:
            return None
        name = min(names, key=lambda n: self.per_answer - self.spent.get(n, 0.0))
        answer_end = now + self.per_answer - self.spent.get(name, 0.0)
        if answer_end < self.end:
            return TimeLimit(answer_end, f"for `{name}` ({self.per_answer:g} s per answer)")
        return TimeLimit(self.end, self.what)

    def charge(self, names: list[str], seconds: float) -> None:
        for name in names:
            self.spent[name] = self.spent.get(name, 0.0) + seconds


class TrustedGrading(NbGraderPreprocessor):
    """Grades every autograded test cell of a notebook from its answer cells, outside the kernel.

    Runs in nbgrader's Autograde after Execute and before SaveAutoGrades (nbgrader_setup puts it
    there). Each test cell's hidden `grade("<grade_id>", <answer>)` call is taken from the gradebook,
    its check from course.yaml, and its outcome is written over the cell's outputs (feedback text, then
    the score) and, as data, into the cell's metadata. The grading policy (budgets, limits, seed,
    tolerances) is course.yaml's, so that one file says how a course is graded.
    """

    course_file = Unicode(
        "", help="The course.yaml of the course being graded (nbgrader_setup sets it). Empty: the one "
                 "named by the GRADER_COURSE_FILE environment variable, else the nearest above the "
                 "working directory.").tag(config=True)

    def course(self) -> Course:
        return load_course_cached(Path(self.course_file)) if self.course_file else current_course()

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        start = time.monotonic()
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            answer_ids = {c.name for c in notebook.solution_cells}
            source_cells = {c.name: c for c in notebook.source_cells}
            tests = {c.name: (source_cells[c.name].source, c.max_score) for c in notebook.grade_cells
                     if c.name not in answer_ids and c.cell_type == "code"}
        course = self.course()
        policy = course.policy
        student = (str(info.get("student")), str(info["assignment"]))
        graded_from = time.monotonic()   # the budgets count what the student's work costs from here
        budget = Budget(policy, student, graded_from)
        limits = Limits(timeout_seconds=policy.call_timeout_seconds, memory_bytes=policy.worker_memory_mb * 2**20)
        submitted = {}   # grade_id -> the submitted test cell its outcome is written to
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in tests and is_autograded_test(cell):
                submitted.setdefault(grade_id, cell)
        skipped: dict[str, int] = {}   # answer cell -> its size, when over the limit
        cells = worker_cells(nb, source_cells, answer_ids, set(tests), policy.max_answer_cell_bytes, skipped)
        session = Session(cells, limits=limits)
        try:
            with session, active(session):
                for grade_id in self.instructor_order(info, course, tests):
                    cell = submitted.get(grade_id)
                    if cell is None:
                        continue
                    source, points = tests[grade_id]
                    text, score, outcome = self._grade_outcome(course, session, grade_id, source, points,
                                                               budget, skipped)
                    # The outcome as data (criteria, expected/got, likely cause) beside the text, for
                    # the instructor's report and the exports: nothing downstream parses the text.
                    cell.metadata[OUTCOME_KEY] = outcome_record(outcome, course)
                    cell.outputs = [new_output("stream", name="stdout", text=text + "\n"),
                                    new_output("execute_result", data={"text/plain": repr(score)},
                                               execution_count=cell.get("execution_count"))]
        finally:
            _SPENT_BY_STUDENT[student] = _SPENT_BY_STUDENT.get(student, 0.0) + time.monotonic() - graded_from
        # The peak memory of nbgrader's own process so far: what a hostile reply must not blow up.
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.log.info("Trusted step: graded %d test cells of %s outside the kernel in %.2f s, peak memory of "
                      "this process %.0f MB (worker: %s)", len(tests), info["notebook"], time.monotonic() - start,
                      peak_mb, ", ".join(f"{k}={v}" for k, v in session.applied.items()))
        if session.ran_out:
            self.log.warning("Trusted step: %s of %s: %s", info["notebook"], student[0], session.ran_out)
        return nb, resources

    def instructor_order(self, info: dict, course, tests: dict) -> list[str]:
        """The test cells in the order of the instructor's source notebook (course.yaml's order where
        that notebook cannot be read), never the submitted notebook's: a check must not find the
        worker in a state an earlier check, moved ahead by the student, left behind."""
        rank: dict[str, int] = {}
        try:
            coursedir = CourseDirectory(config=self.config)
            folder = Path(coursedir.format_path(coursedir.source_directory, ".", info["assignment"]))
            for cell in nbformat.read(folder / f"{info['notebook']}.ipynb", as_version=4).cells:
                rank.setdefault(cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"), len(rank))
        except Exception:  # noqa: BLE001 - no readable source notebook: course.yaml's order
            rank = {}
        if not set(tests) <= set(rank):
            assignment = course.assignments.get(info["assignment"])
            notebook = assignment.notebooks.get(info["notebook"]) if assignment else None
            listed = [g for task in notebook.tasks.values() for g in task.tests] if notebook else []
            rank = {g: i for i, g in enumerate(listed)}
        return sorted(tests, key=lambda g: (rank.get(g, len(rank)), g))

    def _grade(self, course, session: Session, grade_id: str, source: str, points: float,
               budget: Budget | None = None, skipped: dict[str, int] | None = None) -> tuple[str, float]:
        text, score, _ = self._grade_outcome(course, session, grade_id, source, points, budget, skipped)
        return text, score

    def _grade_outcome(self, course, session: Session, grade_id: str, source: str, points: float,
                       budget: Budget | None = None,
                       skipped: dict[str, int] | None = None) -> tuple[str, float, Outcome]:
        """(feedback text, score, the outcome both were made from) of one test cell."""
        call = hidden_test_call(source)
        if call is None or call[0] != grade_id:
            outcome = Outcome(grade_id, points, [Result("the hidden test", False,
                                                        expected=f'one call grade("{grade_id}", <answer>)',
                                                        got="other code",
                                                        cause="a course defect: please tell your instructor")])
            return outcome.report(), 0.0, outcome
        names = answer_names(call[1])
        name = ", ".join(names)
        skipped = skipped or {}
        if budget is None:   # no budgets: the per-call timeout only
            with session.check_scope():
                return self._check(course, session, grade_id, call[1], name, points, skipped)
        limit = budget.limit(names)
        if limit is None:
            ran_out = session.ran_out if session.ran_out and budget.what in session.ran_out \
                else f"grading time {budget.what} ran out"
            return _done(out_of_time(grade_id, points, f"not graded: {ran_out}"))
        session.time_limit = limit
        started = time.monotonic()
        try:
            with session.check_scope():
                return self._check(course, session, grade_id, call[1], name, points, skipped)
        finally:
            session.time_limit = None
            budget.charge(names, time.monotonic() - started)

    def _check(self, course, session: Session, grade_id: str, expr: ast.expr, name: str, points: float,
               skipped: dict[str, int]) -> tuple[str, float, Outcome]:
        """`skipped`: answer cell -> its size, for the cells too large to load."""
        limit = course.policy.max_answer_cell_bytes
        session.printed(), session.warnings()   # only what this cell's calls cause is its feedback
        try:
            answer = answer_value(session, expr)
        except NameError:
            own = [n for n in answer_names(expr) if n in skipped]
            if own:
                return _done(too_large(grade_id, points, own[0], skipped[own[0]], limit))
            outcome = unanswered(grade_id, points, name, "not defined", session.load_errors)
            outcome.notes.extend(not_loaded(skipped, limit))
            return _done(outcome)
        except OutOfTime as exc:
            return _done(out_of_time(grade_id, points, str(exc)))
        except WorkerFailure as exc:
            return _done(unanswered(grade_id, points, name, str(exc), session.load_errors))
        # What ran in this process (the checks, the references, the garbage collector) is the
        # grader's: only the worker, which runs nothing but the student's code, prints or warns on
        # the student's behalf.
        outcome, _, _ = run_check(course, grade_id, answer)
        results = [r for r in (outcome.basic, *outcome.results) if r is not None]
        if skipped and any("is not defined" in r.got for r in results):   # a definition it was to load
            outcome.notes.extend(not_loaded(skipped, limit))
        return feedback_text(outcome, session.printed(), session.warnings()), outcome.score, outcome


def _done(outcome: Outcome) -> tuple[str, float, Outcome]:
    """A cell that earns nothing: its report, 0, and the outcome."""
    return outcome.report(), 0.0, outcome


def cell_feedback(nb: NotebookNode) -> dict[str, str]:
    """grade_id -> the text the trusted step wrote into each autograded test cell of an autograded
    notebook (its stdout stream): what the student reads, to be compared word for word."""
    texts = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and is_autograded_test(cell):
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            texts[grade_id] = "".join(out.get("text", "") for out in cell.get("outputs", [])
                                      if out.get("output_type") == "stream" and out.get("name") == "stdout")
    return texts
