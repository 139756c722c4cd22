"""A check that cannot fail is a defect, and so is one that fails correct work: every graded cell of
course.yaml must be shown to pass and to fail, by material a new task brings anyway.

The rule, by the kind of answer the task's cell holds:

- A graded function or class (its answer cell defines the task's name): its corpus entries in
  grader/corpus/ show it. At least 2 correct variants keep every point, at least 2 do-nothing answers
  score 0 on every cell, and each of its test cells loses points under at least one mutant. A
  do-nothing answer does not count for that last part: it fails a gated cell at the basic case, which
  shows the gate works, not that the cell's own criteria catch a real mistake.
- A question (a row of grader/checks/questions.QUESTIONS): its own row shows it. The expected answer,
  written two ways, gets full marks; None, the answer as a string and another number or option lose
  points.
- Any other answer that is values rather than a function (hyperparameters, the feature experiment):
  the corpus cannot hold it (an entry is one function or class), so a CHECK_TABLE of some
  tests/test_checks_*.py must list at least 2 correct answers and 1 answer that loses points.

The corpus is graded in this process once per session (tests/corpus_in_process.py), the same results
tests/test_corpus_in_process.py judges entry by entry. The check tables of tests/test_checks_*.py are
deeper unit tests of the checks; a graded function's cells need not appear in them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from check_tables import all_check_tables
from corpus_in_process import ASSIGNMENT, COURSE, answer_defines, function_cells, grade_in_process
from grader.checks import CHECKS
from grader.checks.questions import QUESTION_CHECKS, QUESTIONS, Choice, Number, Numbers
from grader.course import load_course
from grader.grading import run_check
from grader.submissions import do_nothing, mutants, variants

COURSE_FILE = Path(__file__).resolve().parents[1] / "course.yaml"
MIN_VARIANTS = 2
MIN_DO_NOTHING = 2

_TASKS = [(nb_name, task) for nb_name, nb in COURSE.assignments[ASSIGNMENT].notebooks.items()
          for task in nb.tasks.values() if task.tests]
FUNCTIONS = [(nb_name, task.name) for nb_name, task in _TASKS if answer_defines(nb_name, task.name)]
_VALUE_CELLS = [(gid, cell.check) for nb_name, task in _TASKS if not answer_defines(nb_name, task.name)
                for gid, cell in task.tests.items()]
QUESTION_CELLS = [(gid, check) for gid, check in _VALUE_CELLS if check in QUESTION_CHECKS]
OTHER_VALUE_CELLS = [(gid, check) for gid, check in _VALUE_CELLS if check not in QUESTION_CHECKS]


def test_every_check_in_course_yaml_is_registered():
    course = load_course(COURSE_FILE, check_notebooks=False)
    used = {cell.check for _, nb in course.notebooks() for t in nb.tasks.values() for cell in t.tests.values()}
    assert used <= set(CHECKS), f"course.yaml names unregistered checks {sorted(used - set(CHECKS))}"


def test_every_graded_cell_falls_under_one_rule():
    cells = {gid for _, task in _TASKS for gid in task.tests}
    by_function = {gid for nb_name, fn in FUNCTIONS for gid in function_cells(nb_name, fn)}
    assert by_function | {gid for gid, _ in _VALUE_CELLS} == cells
    assert len(FUNCTIONS) >= 20 and len(QUESTION_CELLS) >= 20   # the answer-cell reading found the functions


def _entries(kind, notebook: str, function: str):
    return [e for e in kind(notebook) if e.function == function]


def _lost(graded: dict, points: dict, grade_id: str) -> bool:
    return graded[grade_id][0] < points[grade_id] - 1e-9


@pytest.mark.parametrize("notebook,function", FUNCTIONS, ids=[f for _, f in FUNCTIONS])
def test_the_corpus_shows_every_cell_of_the_function_can_pass_and_can_fail(notebook, function):
    points = function_cells(notebook, function)
    folder = f"grader/corpus/{{}}/{notebook}/"

    passing = [v.name for v in _entries(variants, notebook, function)
               if not any(_lost(grade_in_process(v), points, g) for g in points)]
    assert len(passing) >= MIN_VARIANTS, \
        f"{function}: {len(passing)} correct variants keep every point ({passing}); add at least " \
        f"{MIN_VARIANTS} correct answers written in different ways to {folder.format('variants')}"

    earning_nothing = [d.name for d in _entries(do_nothing, notebook, function)
                       if all(grade_in_process(d)[g][0] == 0 for g in points)]
    assert len(earning_nothing) >= MIN_DO_NOTHING, \
        f"{function}: {len(earning_nothing)} do-nothing answers score 0 ({earning_nothing}); add answers that " \
        f"ignore their inputs (zeros, a constant, an echoed input, random numbers) to {folder.format('do_nothing')}"

    failed_by = {g: [m.name for m in _entries(mutants, notebook, function) if _lost(grade_in_process(m), points, g)]
                 for g in points}
    never_failed = sorted(g for g, names in failed_by.items() if not names)
    assert not never_failed, \
        f"{function}: no mutant loses points on {never_failed}; add a realistic mistake that these cells " \
        f"catch to {folder.format('mutants')} (or the check cannot fail)"


def _question_answers(spec) -> tuple[list, list]:
    """(right, wrong) answers of a question, from its row alone."""
    if isinstance(spec, Choice):
        others = [o for o in spec.options if o.casefold() != spec.answer.casefold()]
        return [spec.answer, f" {spec.answer.lower()} "], [*others, None]
    if isinstance(spec, Numbers):
        right = tuple(p.value for p in spec.parts)
        off = tuple(_other_number(v) if i == 0 else v for i, v in enumerate(right))
        return [right, list(np.float64(v) for v in right)], [off, right[:-1], None]
    assert isinstance(spec, Number), spec
    return [spec.value, np.float64(spec.value)], [_other_number(spec.value), str(spec.value), None]


def _other_number(value: float) -> float:
    return 0.0 if math.isinf(value) else 2 * value + 1


@pytest.mark.parametrize("grade_id,check", QUESTION_CELLS, ids=[g for g, _ in QUESTION_CELLS])
def test_a_question_passes_its_answer_and_fails_others(grade_id, check):
    points = COURSE.test_cell(grade_id).points
    right, wrong = _question_answers(QUESTIONS[check])
    for answer in right:
        outcome, _, _ = run_check(COURSE, grade_id, answer)
        assert outcome.score == points, f"{answer!r} on {grade_id}:\n{outcome.report()}"
    for answer in wrong:
        outcome, _, _ = run_check(COURSE, grade_id, answer)
        assert outcome.score < points, f"{answer!r} got full marks on {grade_id}"


@pytest.mark.parametrize("grade_id,check", OTHER_VALUE_CELLS, ids=[g for g, _ in OTHER_VALUE_CELLS])
def test_a_values_answer_has_a_check_table(grade_id, check):
    right, wrong = all_check_tables().get(check, ((), ()))
    assert len(right) >= 2 and wrong, \
        f"{grade_id}: its answer is values, not a function, so the corpus cannot hold it: list at least 2 " \
        f"correct answers and 1 that loses points for {check} in a CHECK_TABLE of tests/test_checks_*.py"


def test_every_check_module_is_discovered_without_being_listed():
    import pkgutil
    import sys

    import grader.checks

    modules = {m.name for m in pkgutil.iter_modules(grader.checks.__path__)}
    assert {"linear_losses", "regularization", "features", "vectorized"} <= modules
    assert all(f"grader.checks.{name}" in sys.modules for name in modules)
    registered_by = {fn.__module__ for fn in (grader.checks.get_check(name) for name in grader.checks.CHECKS)}
    assert {"grader.checks.hinge", "grader.checks.questions", "grader.checks.softmax_probabilities"} <= registered_by
