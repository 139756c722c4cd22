"""The check tables of tests/test_checks_*.py graded through the grading worker, as `nbgrader autograde`
grades them, and compared with grading the same answers in this process.

The tables' own tests call the checks on plain functions in this process. During autograde the checks
get the worker's stand-ins instead: values cross as JSON and raw arrays, the answer's code runs in
another interpreter, its prints and warnings are captured there. Here each implementations module is
loaded into one worker as an answer cell, each answer is looked up by name as `TrustedGrading._check`
looks it up, and every (check, answer) pair must score the same both ways; correct answers keep every
point through the worker, and wrong ones lose points. The feedback is compared word for word.

Where the worker path is known to differ, the pair is listed below (`SCORE_DIFFERS`, `FEEDBACK_DIFFERS`)
with the cause: those tests are expected to fail until the worker path is fixed, and then to pass
(strict), so the lists shrink as the causes are fixed, and a
new difference fails.

The sessions are graded two at a time, in forked processes; the checks draw wa.HYPOTHESIS_EXAMPLES
examples per property instead of course.yaml's (see worker_answers).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

import pytest

import worker_answers as wa
from check_tables import all_check_tables

PLAN = wa.plan()
ENTRIES = {entry.key: entry for entry in PLAN.entries}

# -- what is not graded through the worker, and why ---------------------------------------------------

# The grader's own references, which some tables list among the correct answers: the worker cannot
# import the grader (by design), and they are not student code. Each of their checks has other correct
# answers that go through the worker (test_every_check_of_course_yaml_goes_through_the_worker).
SKIPPED = {
    f"{check}/correct/{index}-{name}" for check, index, name in [
        ("bow_properties", 3, "bow_histogram"), ("bow_values", 3, "bow_histogram"),
        ("color_histogram_properties", 3, "color_histogram_hsv"), ("color_histogram_values", 3, "color_histogram_hsv"),
        ("extract_features_properties", 3, "extract_features"), ("extract_features_values", 3, "extract_features"),
        ("grad_check_sparse_errors", 3, "grad_check_sparse"), ("grad_check_sparse_sampling", 3, "grad_check_sparse"),
        ("hog_properties", 4, "hog_feature"), ("hog_values", 4, "hog_feature"),
        ("numerical_gradient_centered", 5, "eval_numerical_gradient"),
        ("numerical_gradient_in_place", 5, "eval_numerical_gradient"),
        ("numerical_gradient_values", 5, "eval_numerical_gradient"),
        ("polar_properties", 3, "polar_features"), ("polar_values", 3, "polar_features"),
        ("rel_error_properties", 3, "rel_error"), ("rel_error_values", 3, "rel_error"),
        ("vocabulary_properties", 3, "build_vocabulary"), ("vocabulary_values", 3, "build_vocabulary"),
    ]
}

# -- where the worker path is known to differ from grading in this process -----------------------------

# None now: a new difference fails the tests below. One that cannot be fixed at once is listed here,
# "<key>": (its cause, strict), in SCORE_DIFFERS if the score differs, else in FEEDBACK_DIFFERS only.
SCORE_DIFFERS: dict[str, tuple[str, bool]] = {}
FEEDBACK_DIFFERS: dict[str, tuple[str, bool]] = {**SCORE_DIFFERS}

# Wrong answers whose mistake only more Hypothesis examples than wa.HYPOTHESIS_EXAMPLES find (the
# full budget finds it: the test_checks_* modules assert that in this process).
MISSED_WITH_FEWER_EXAMPLES = {"vocabulary_properties/wrong/1-vocab_empty_nan"}


def _params(keys, known: dict):
    return [pytest.param(key, id=key, marks=pytest.mark.xfail(reason=known[key][0], strict=known[key][1]))
            if key in known else pytest.param(key, id=key) for key in keys]


# -- grading every entry both ways, two sessions at a time ----------------------------------------------

PROCESSES = min(2, os.cpu_count() or 1)


def _cost(unit: str) -> int:
    """A rough order of how long a session's entries take (plain data is cheap): largest first."""
    return sum(1 if unit != wa.DATA_UNIT else 0 for entry in PLAN.entries if entry.unit == unit)


@pytest.fixture(scope="module")
def graded() -> dict:
    """unit -> (its load errors, {key: Comparison}), and "seconds" -> the wall time. One session per
    unit, each in a forked process of a pool: the sessions are independent, and the answers are graded
    in this process's state (the tables are built, the grader is imported)."""
    start = time.perf_counter()
    units = sorted(PLAN.units, key=lambda u: (-_cost(u), u))
    with ProcessPoolExecutor(PROCESSES, mp_context=multiprocessing.get_context("fork")) as pool:
        done = {name: (errors, {c.key: c for c in comparisons})
                for name, errors, comparisons, _ in pool.map(wa.grade_unit_named, units)}
    done["seconds"] = time.perf_counter() - start
    return done


@pytest.fixture(scope="module")
def comparisons(graded) -> dict:
    return {key: c for unit in PLAN.units for key, c in graded[unit][1].items()}


# -- nothing is dropped silently -------------------------------------------------------------------------

def test_every_table_entry_is_graded_through_the_worker_or_listed_as_skipped():
    tables = all_check_tables()
    total = sum(len(correct) + len(wrong) for correct, wrong in tables.values())
    assert len(PLAN.entries) + len(PLAN.skipped) == total
    assert len(ENTRIES) == len(PLAN.entries), "entry keys must be unique"
    skipped = {skip.key: skip.reason for skip in PLAN.skipped}
    assert set(skipped) == SKIPPED, {k: skipped.get(k, "graded") for k in set(skipped) ^ SKIPPED}
    assert all(reason.startswith("the grader's own") for reason in skipped.values()), skipped
    assert len(skipped) <= 0.03 * total


def test_the_known_differences_name_entries_that_exist():
    listed = set(FEEDBACK_DIFFERS) | MISSED_WITH_FEWER_EXAMPLES
    assert listed <= set(ENTRIES), sorted(listed - set(ENTRIES))


def _checks_left_to_the_corpus() -> set[str]:
    """Checks no table lists, of tasks the corpus covers instead (a task added with no table): a graded
    function's corpus entries go through the worker in test_corpus_through_worker, and a question's
    values are plain data that the worker only sends back (test_worker_replies)."""
    from corpus_in_process import answer_defines
    from grader.submissions import mutants, variants

    tabled = set(all_check_tables())
    with_entries = {(e.notebook, e.function) for e in variants()} & {(e.notebook, e.function) for e in mutants()}
    left = set()
    for _, nb in wa.COURSE.notebooks():
        for name, task in nb.tasks.items():
            corpus_covered = (nb.name, name) in with_entries or not answer_defines(nb.name, name)
            left |= {cell.check for cell in task.tests.values() if cell.check not in tabled and corpus_covered}
    return left


def test_every_check_of_course_yaml_goes_through_the_worker_with_a_correct_and_a_wrong_answer():
    used = {cell.check for _, nb in wa.COURSE.notebooks() for task in nb.tasks.values()
            for cell in task.tests.values()} - _checks_left_to_the_corpus()
    correct = {e.check for e in PLAN.entries if e.correct}
    wrong = {e.check for e in PLAN.entries if not e.correct}
    assert not used - correct, f"no correct answer through the worker: {sorted(used - correct)}"
    assert not used - wrong, f"no wrong answer through the worker: {sorted(used - wrong)}"


def test_each_session_loads_its_cells_without_errors(graded):
    errors = {unit: graded[unit][0] for unit in PLAN.units if graded[unit][0]}
    assert not errors


def test_every_entry_was_graded(graded, comparisons):
    assert set(comparisons) == set(ENTRIES)
    print(f"{len(comparisons)} entries graded both ways in {len(PLAN.units)} sessions, {len(SKIPPED)} skipped, "
          f"{graded['seconds']:.1f} s")


# -- the same grade both ways ------------------------------------------------------------------------------

@pytest.mark.parametrize("key", _params(ENTRIES, SCORE_DIFFERS))
def test_the_worker_gives_the_score_this_process_gives(comparisons, key):
    c = comparisons[key]
    assert c.score_worker == c.score_here, f"here:\n{c.text_here}\n\nthrough the worker:\n{c.text_worker}"


@pytest.mark.parametrize("key", _params(ENTRIES, {
    key: ("a mistake only more examples find", True) for key in MISSED_WITH_FEWER_EXAMPLES}))
def test_through_the_worker_correct_answers_keep_every_point_and_wrong_ones_lose_points(comparisons, key):
    c = comparisons[key]
    if ENTRIES[key].correct:
        assert c.score_worker == c.points, c.text_worker
    else:
        assert c.score_worker < c.points, c.text_worker


# Nothing is masked: the feedback masks memory addresses itself, and a function's stand-in shows as
# the function does; everything else that differs is a difference of the worker path, listed above.
@pytest.mark.parametrize("key", _params(ENTRIES, FEEDBACK_DIFFERS))
def test_the_worker_gives_the_feedback_this_process_gives(comparisons, key):
    c = comparisons[key]
    assert c.text_worker == c.text_here
