"""Grades every autograded test cell outside the student's kernel, during `nbgrader autograde`.

Runs after Execute. The hidden tests come from the gradebook (what the instructor released), never
from the submitted notebook; each is `grade("<grade_id>", <answer>)`. The student's answer cells, and
the imports and definitions of the instructor's read-only cells, are loaded into an isolated worker
(grader.sandbox); the checks run here and call the answers there. The outcome is written over the
test cell's outputs (the feedback as text, the score as the last expression's value), where
SaveAutoGrades reads it: nothing the kernel printed decides a grade.
"""

from __future__ import annotations

import ast
import time

from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor

from ..grading import current_course, feedback_text, run_check
from ..outcome import Outcome, Result
from ..sandbox.proxies import ANSWER_CELL_LABEL, active, answer_proxy
from ..sandbox.session import Limits, Session, WorkerFailure
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


def worker_cells(nb: NotebookNode, source_cells: dict, answer_ids: set[str], test_ids: set[str]) -> list[tuple[str, str]]:
    """What the worker loads, in notebook order: the student's answer cells as submitted, and the
    definitions of the read-only cells as the gradebook holds them."""
    cells = []
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or grade_id is None:
            continue
        if grade_id in answer_ids:
            cells.append((f"{ANSWER_CELL_LABEL} {grade_id}", as_python(cell.source)))
        elif grade_id in source_cells and grade_id not in test_ids:
            provided = source_cells[grade_id]
            if provided.locked and provided.cell_type == "code":
                cells.extend((f"provided cell {grade_id}", code) for code in definitions(provided.source))
    return cells


def unanswered(grade_id: str, points: float, name: str, why: str, load_errors) -> Outcome:
    outcome = Outcome(grade_id, points, [Result(f"`{name}` is defined by its answer cell", False,
                                                expected=f"`{name}` defined", got=why,
                                                cause=f"define `{name}` in its answer cell; the cell must run without errors")])
    for label, error in load_errors:
        if label.startswith(ANSWER_CELL_LABEL):
            outcome.notes.append(f"Your {label} raised {error} when it was loaded.")
    return outcome


class TrustedGrading(NbGraderPreprocessor):
    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        info = resources["nbgrader"]
        start = time.perf_counter()
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            answer_ids = {c.name for c in notebook.solution_cells}
            source_cells = {c.name: c for c in notebook.source_cells}
            tests = {c.name: (source_cells[c.name].source, c.max_score) for c in notebook.grade_cells
                     if c.name not in answer_ids and c.cell_type == "code"}
        course = current_course()
        policy = course.policy
        limits = Limits(timeout_seconds=policy.call_timeout_seconds, memory_bytes=policy.worker_memory_mb * 2**20)
        session = Session(worker_cells(nb, source_cells, answer_ids, set(tests)), limits=limits)
        with session, active(session):
            for cell in nb.cells:
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id in tests and is_autograded_test(cell):
                    source, points = tests[grade_id]
                    text, score = self._grade(course, session, grade_id, source, points)
                    cell.outputs = [new_output("stream", name="stdout", text=text + "\n"),
                                    new_output("execute_result", data={"text/plain": repr(score)},
                                               execution_count=cell.get("execution_count"))]
        self.log.info("Trusted step: graded %d test cells of %s outside the kernel in %.2f s (worker: %s)",
                      len(tests), info["notebook"], time.perf_counter() - start,
                      ", ".join(f"{k}={v}" for k, v in session.applied.items()))
        return nb, resources

    def _grade(self, course, session: Session, grade_id: str, source: str, points: float) -> tuple[str, float]:
        call = hidden_test_call(source)
        if call is None or call[0] != grade_id:
            outcome = Outcome(grade_id, points, [Result("the hidden test", False,
                                                        expected=f'one call grade("{grade_id}", <answer>)',
                                                        got="other code", cause="a course defect: please tell your instructor")])
            return outcome.report(), 0.0
        name = ", ".join(answer_names(call[1]))
        session.printed(), session.warnings()   # only what this cell's calls cause is its feedback
        try:
            answer = answer_value(session, call[1])
        except NameError:
            return unanswered(grade_id, points, name, "not defined", session.load_errors).report(), 0.0
        except WorkerFailure as exc:
            return unanswered(grade_id, points, name, str(exc), session.load_errors).report(), 0.0
        # What ran in this process (the checks, the references, the garbage collector) is the
        # grader's: only the worker, which runs nothing but the student's code, prints or warns on
        # the student's behalf.
        outcome, _, _ = run_check(course, grade_id, answer)
        return feedback_text(outcome, session.printed(), session.warnings()), outcome.score


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
