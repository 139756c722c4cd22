"""Grade a corpus entry as `nbgrader autograde`'s trusted step grades it, without nbgrader or a kernel.

The solution notebook with the entry in its function's answer cell is read as the trusted step reads a
submission: `worker_cells` picks the answer cells and the provided cells' definitions, one `Session`
loads them into a grading worker, and each of the function's hidden test cells is graded by
`TrustedGrading._grade_outcome`, the code autograde runs for it. Only the gradebook (the test cells'
sources and points come from the solution notebook and course.yaml) and the time budgets are left out.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import nbformat

from corpus_in_process import ASSIGNMENT, COURSE, REPO, function_cells
from grader.preprocessors.trusted_grading import TrustedGrading, worker_cells
from grader.sandbox.proxies import active
from grader.sandbox.session import Limits, Session
from grader.submissions import CorpusEntry


@functools.lru_cache(maxsize=None)
def _solution(notebook: str) -> nbformat.NotebookNode:
    return nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{notebook}.ipynb", as_version=4)


def _submitted(entry: CorpusEntry) -> tuple[nbformat.NotebookNode, dict, set[str], dict[str, str]]:
    """(the notebook with the entry as its answer, the provided cells as the gradebook holds them, the
    answer cells' ids, grade_id -> hidden test source)."""
    nb = nbformat.from_dict(_solution(entry.notebook))
    provided, answers, tests = {}, set(), {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if cell.cell_type != "code" or grade_id is None:
            continue
        provided[grade_id] = SimpleNamespace(source=cell.source, locked=meta.get("locked", False),
                                             cell_type=cell.cell_type)
        if meta.get("solution"):
            answers.add(grade_id)
            if grade_id == entry.function:
                cell.source = entry.source
        elif meta.get("grade"):
            tests[grade_id] = cell.source
    return nb, provided, answers, tests


def entry_worker_cells(entry: CorpusEntry) -> list[tuple[str, str]]:
    """(label, source) of what the trusted step loads into the worker for the entry's notebook."""
    nb, provided, answers, tests = _submitted(entry)
    return worker_cells(nb, provided, answers, set(tests), COURSE.policy.max_answer_cell_bytes)


def grade_through_worker(entry: CorpusEntry) -> dict[str, tuple[float, str]]:
    """grade_id -> (score, feedback text) of every test cell of the entry's function."""
    tests = _submitted(entry)[3]
    policy = COURSE.policy
    session = Session(entry_worker_cells(entry),
                      limits=Limits(timeout_seconds=policy.call_timeout_seconds,
                                    memory_bytes=policy.worker_memory_mb * 2**20))
    step = TrustedGrading()
    out = {}
    with session, active(session):
        for grade_id, points in function_cells(entry.notebook, entry.function).items():
            text, score, _ = step._grade_outcome(COURSE, session, grade_id, tests[grade_id], points)
            out[grade_id] = (score, text)
    return out
