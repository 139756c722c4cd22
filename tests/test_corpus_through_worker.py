"""Corpus entries graded as autograde's trusted step grades them (through the grading worker) must get
the scores and the feedback they get in this process.

test_corpus_in_process judges every entry in this process; test_check_tables_through_worker sends the
check tables through the worker. Here the corpus goes through the worker too, for:
- every entry of a function whose checks no check table lists (a newly added task: its corpus entries
  are then the only answers that exercise its checks through the worker), and
- the first variant and the first mutant of each notebook, so that this path is itself tested today.
The full corpus goes through nbgrader and the worker in `grader ci`.
"""

from __future__ import annotations

import pytest

from check_tables import all_check_tables
from corpus_in_process import COURSE, function_cells, namespace_with
from corpus_through_worker import grade_through_worker
from grader.grading import feedback_text, run_check
from grader.submissions import do_nothing, mutants, variants


def _checks_of(notebook: str, function: str) -> set[str]:
    task = COURSE.assignments[next(iter(COURSE.assignments))].notebooks[notebook].tasks[function]
    return {cell.check for cell in task.tests.values()}


def _chosen() -> list:
    tabled = set(all_check_tables())
    chosen, seen = [], set()
    for kind, entries in (("variant", variants()), ("mutant", mutants()), ("do-nothing", do_nothing())):
        for entry in entries:
            untabled = not _checks_of(entry.notebook, entry.function) <= tabled
            first_of_notebook = (kind, entry.notebook) not in seen and kind != "do-nothing"
            if untabled or first_of_notebook:
                chosen.append(pytest.param(entry, id=f"{kind}-{entry.name}"))
                seen.add((kind, entry.notebook))
    return chosen


@pytest.mark.parametrize("entry", _chosen())
def test_the_worker_grades_a_corpus_entry_as_this_process_does(entry):
    through_worker = grade_through_worker(entry)
    answer = namespace_with(entry).get(entry.function)
    here = {}
    for grade_id in function_cells(entry.notebook, entry.function):
        outcome, printed, warned = run_check(COURSE, grade_id, answer)   # what the student printed, too
        here[grade_id] = (outcome.score, feedback_text(outcome, printed, warned))
    assert {g: s for g, (s, _) in through_worker.items()} == {g: s for g, (s, _) in here.items()}
    for grade_id, (_, text) in through_worker.items():
        assert text == here[grade_id][1], grade_id
