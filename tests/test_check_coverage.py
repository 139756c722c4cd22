"""A check that cannot fail is a defect: every check course.yaml uses must have, in some
tests/test_checks_*.py table, at least one wrong answer that loses points and two correct answers."""

from __future__ import annotations

from pathlib import Path

from check_tables import all_check_tables
from grader.checks import CHECKS
from grader.course import load_course

COURSE_FILE = Path(__file__).resolve().parents[1] / "course.yaml"


def test_every_check_in_course_yaml_can_fail_and_can_pass():
    course = load_course(COURSE_FILE, check_notebooks=False)
    used = {cell.check for _, nb in course.notebooks() for t in nb.tasks.values() for cell in t.tests.values()}
    assert used <= set(CHECKS), f"course.yaml names unregistered checks {sorted(used - set(CHECKS))}"
    tables = all_check_tables()
    uncovered = sorted(c for c in used if not tables.get(c, ((), []))[1])
    assert not uncovered, f"checks without a known wrong answer that loses points: {uncovered}"
    few_correct = sorted(c for c in used if len(tables.get(c, ((),))[0]) < 2)
    assert not few_correct, f"checks without at least 2 correct answers: {few_correct}"


def test_every_check_module_is_discovered_without_being_listed():
    import pkgutil
    import sys

    import grader.checks

    modules = {m.name for m in pkgutil.iter_modules(grader.checks.__path__)}
    assert {"linear_losses", "regularization", "features", "vectorized"} <= modules
    assert all(f"grader.checks.{name}" in sys.modules for name in modules)
    registered_by = {fn.__module__ for fn in (grader.checks.get_check(name) for name in grader.checks.CHECKS)}
    assert {"grader.checks.hinge", "grader.checks.questions", "grader.checks.softmax_probabilities"} <= registered_by
