"""Grade a corpus entry in this process, as the trusted step would in the worker, in a second.

The namespace is what the worker loads for the entry's notebook: the definitions of the provided
cells and the solution's answers, in notebook order, with the entry's function swapped in. Every
test cell of the entry's function then runs through `run_check`, the path nbgrader's trusted step
takes (there with worker stand-ins in place of these plain functions).

Grading is deterministic, so each entry is graded once per test session (`grade_in_process` is
cached): the per-entry verdicts of tests/test_corpus_in_process.py and the coverage rule of
tests/test_check_coverage.py read the same results.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import linecache
from pathlib import Path

import nbformat

from grader.course import load_course
from grader.course_assignment import only_assignment
from grader.grading import run_check
from grader.preprocessors.trusted_grading import as_python, definitions
from grader.submissions import SOLUTION_MARKERS, CorpusEntry

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yaml", check_notebooks=False)
ASSIGNMENT = only_assignment(COURSE)


@functools.lru_cache(maxsize=None)
def _solution_cells(notebook: str) -> tuple[tuple[str, str, bool], ...]:
    """(grade_id, source, is_answer) of the notebook's code cells the worker loads, in order."""
    nb = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{notebook}.ipynb", as_version=4)
    out = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or "grade_id" not in meta:
            continue
        if meta.get("solution"):
            out.append((meta["grade_id"], SOLUTION_MARKERS.sub("", cell.source), True))
        elif meta.get("locked") and not meta.get("grade"):
            out.append((meta["grade_id"], "\n".join(definitions(cell.source)), False))
    return tuple(out)


def namespace_with(entry: CorpusEntry) -> dict:
    """The notebook's namespace with `entry` answering its function."""
    ns: dict = {"__name__": "__main__"}
    for grade_id, source, is_answer in _solution_cells(entry.notebook):
        code = as_python(entry.source if is_answer and grade_id == entry.function else source)
        filename = f"<{grade_id}>"
        # As IPython does for a cell: the source stays readable (the vectorization check reads it).
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
            exec(compile(code, filename, "exec"), ns)
    return ns


def answer_defines(notebook: str, task: str) -> bool:
    """Whether the solution's answer cell `task` defines a function or class of that name (a graded
    function, which corpus entries replace) rather than assigning values (a question's answers,
    hyperparameters)."""
    for grade_id, source, is_answer in _solution_cells(notebook):
        if is_answer and grade_id == task:
            tree = ast.parse(as_python(source))
            return any(isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name == task for node in tree.body)
    return False


def function_cells(notebook: str, function: str) -> dict[str, float]:
    """grade_id -> points of every autograded test cell of `function`."""
    task = COURSE.assignments[ASSIGNMENT].notebooks[notebook].tasks[function]
    return {gid: cell.points for gid, cell in task.tests.items()}


@functools.lru_cache(maxsize=None)
def grade_in_process(entry: CorpusEntry) -> dict[str, tuple[float, str]]:
    """grade_id -> (score, feedback) of every cell of the entry's function; graded once per session
    (the caller must not modify the result)."""
    ns = namespace_with(entry)
    answer = ns.get(entry.function)
    out = {}
    for grade_id in function_cells(entry.notebook, entry.function):
        outcome, _, _ = run_check(COURSE, grade_id, answer)
        out[grade_id] = (outcome.score, outcome.report())
    return out
