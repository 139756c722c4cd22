"""The checks of gradients.ipynb: eval_numerical_gradient, rel_error, grad_check_sparse and the questions.

A check that cannot fail is a defect: for every autograded test cell of the notebook, correct
implementations (written in different ways) get full marks, and realistic buggy ones, one mistake each,
lose points exactly on the checks that should catch that mistake, with feedback that names it.
"""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from check_assertions import (assert_basic_case_names_cause, assert_bug_effect, assert_earns_nothing,
                               assert_names_cause, assert_passes_basic_case)

import implementations_gradients as impl
from grader.checks import CHECKS
from grader.checks.questions import QUESTIONS
from grader.checks.registry import get_basic_case
from grader.course import load_course
from grader.grading import run_check
from grader.reference import gradients as ref
from grader.submissions import solution_answers

REPO = Path(__file__).resolve().parents[1]
COURSE_FILE = REPO / "course.yaml"
NOTEBOOK = "gradients"

_COURSE = load_course(COURSE_FILE, check_notebooks=False)
CELLS = [(gid, cell.check) for _, nb in _COURSE.notebooks() if nb.name == NOTEBOOK
         for t in nb.tasks.values() for gid, cell in t.tests.items()]

# -- function answers -------------------------------------------------------------------------------

DOMAINS = {
    "eval_numerical_gradient": ["numerical_gradient_values", "numerical_gradient_in_place",
                                "numerical_gradient_centered"],
    "rel_error": ["rel_error_values", "rel_error_properties"],
    "grad_check_sparse": ["grad_check_sparse_errors", "grad_check_sparse_sampling"],
}
DOMAIN_OF = {check: domain for domain, checks in DOMAINS.items() for check in checks}

CORRECT = {
    "eval_numerical_gradient": [impl.numgrad_nditer, impl.numgrad_ndindex, impl.numgrad_flat, impl.numgrad_copies,
                                impl.numgrad_evaluates_fx_once, ref.eval_numerical_gradient],
    "rel_error": [impl.rel_error_cs231n, impl.rel_error_fmax, impl.rel_error_loops, ref.rel_error],
    "grad_check_sparse": [impl.gcs_tuple, impl.gcs_unravel, impl.gcs_copies, ref.grad_check_sparse],
}
PRINTING = {"grad_check_sparse": [impl.gcs_printing]}   # correct, and prints: captured, still full marks
STUBS = {"eval_numerical_gradient": impl.numgrad_stub, "rel_error": impl.rel_error_stub,
         "grad_check_sparse": impl.gcs_stub}

_ALL = object()
V, P, C = "numerical_gradient_values", "numerical_gradient_in_place", "numerical_gradient_centered"
E, S = "grad_check_sparse_errors", "grad_check_sparse_sampling"
# bug -> (its domain, the checks it must lose points on); full marks on the domain's other checks.
BUG_EFFECTS = {
    impl.numgrad_forward: ("eval_numerical_gradient", {V, C}),
    impl.numgrad_divides_by_h: ("eval_numerical_gradient", {V, C}),
    impl.numgrad_precedence: ("eval_numerical_gradient", {V, C}),
    impl.numgrad_wrong_sign: ("eval_numerical_gradient", {V, C}),
    impl.numgrad_ignores_h: ("eval_numerical_gradient", {C}),
    impl.numgrad_wasteful: ("eval_numerical_gradient", {C}),
    impl.numgrad_restores_plus_h: ("eval_numerical_gradient", {V, P}),
    impl.numgrad_never_restores: ("eval_numerical_gradient", {V, P}),
    impl.numgrad_restores_by_adding: ("eval_numerical_gradient", {P}),
    impl.numgrad_returns_x: ("eval_numerical_gradient", {P}),
    impl.numgrad_flat_shape: ("eval_numerical_gradient", {V, P}),
    impl.numgrad_int_grad: ("eval_numerical_gradient", _ALL),
    impl.rel_error_no_max: ("rel_error", _ALL),
    impl.rel_error_no_floor: ("rel_error", _ALL),
    impl.rel_error_x_only: ("rel_error", _ALL),
    impl.rel_error_no_abs: ("rel_error", _ALL),
    impl.rel_error_mean: ("rel_error", _ALL),
    impl.rel_error_additive_floor: ("rel_error", _ALL),
    impl.rel_error_abs_of_sum: ("rel_error", _ALL),
    impl.rel_error_in_place: ("rel_error", {"rel_error_properties"}),
    impl.gcs_returns_mean: ("grad_check_sparse", _ALL),
    impl.gcs_signed: ("grad_check_sparse", {E}),
    impl.gcs_forward: ("grad_check_sparse", {E}),
    impl.gcs_ignores_seed: ("grad_check_sparse", {S}),
    impl.gcs_fixed_seed: ("grad_check_sparse", {S}),
    impl.gcs_index_zero: ("grad_check_sparse", {S}),
    impl.gcs_not_restored: ("grad_check_sparse", {S}),
    impl.gcs_large_h: ("grad_check_sparse", {E}),
}


def _losing_checks(bug) -> set[str]:
    domain, losing = BUG_EFFECTS[bug]
    return set(DOMAINS[domain]) if losing is _ALL else set(losing)


# check name -> (correct implementations, bugs that lose points on it); the shape of the losses table.
CHECK_TABLE = {
    check: (CORRECT[domain], [bug for bug in BUG_EFFECTS if check in _losing_checks(bug)])
    for domain, checks in DOMAINS.items() for check in checks
}
FUNCTION_CELLS = [(gid, check) for gid, check in CELLS if check in DOMAIN_OF]
FIRST_CELL_OF = {check: gid for gid, check in reversed(FUNCTION_CELLS)}

# -- questions ---------------------------------------------------------------------------------------

# check name -> (right answers, wrong answers)
QUESTION_TABLE = {
    "finite_difference_forward": ([3.31, ((1 + 0.1) ** 3 - 1) / 0.1, np.float64(3.31), 3.3101],
                                  [3.0, 3.01, 3.3, 0.31, None, "three", [3.31]]),
    "finite_difference_centered": ([3.01, ((1.1) ** 3 - 0.9 ** 3) / 0.2, 3.0100001],
                                   [3.0, 3.31, 3.1, 0.01, None, (3.01,)]),
    "finite_difference_order": ([100, 100.0, np.int64(100), 1e2],
                                [10, 1000, 2, 0.01, None, "a hundred"]),
    "finite_difference_tiny_h": (["B", "b", " B "], ["A", "C", "D", None, 2, "AB"]),
    "numerical_gradient_cost": ([61460, 2 * 3073 * 10, 61460.0],
                                [30730, 30731, 61461 + 100, 3073, 122920, None, "2 * 3073 * 10"]),
    "numerical_vs_analytic": (["B", "b"], ["A", "C", None, "analytic"]),
    "kink_numerical_gradient": ([0.55, (1.1e-5 - 0.0) / 2e-5, 0.5500001],
                                [1.0, 0.0, 0.5, 1.1, 0.45, None, "1.1e-5 / 2e-5"]),
    "kink_relative_error": ([0.45 / 1.55, 0.2903, 0.29032],
                            [0.29, 0.45, 0.55, 1.0, 0.0, None]),
    "kink_fix": (["B", "b"], ["A", "C", "D", None, 0]),
}
QUESTION_CELLS = [(gid, check) for gid, check in CELLS if check in QUESTION_TABLE]

WHY = [
    ("finite_difference_forward", 3.0, "3 + 3h + h^2"),
    ("finite_difference_centered", 3.31, "3 + h^2"),
    ("finite_difference_order", 10, "divides it by 100"),
    ("finite_difference_tiny_h", "A", "rounding noise"),
    ("numerical_gradient_cost", 30730, "2 evaluations per entry"),
    ("numerical_vs_analytic", "A", "check it numerically"),
    ("kink_numerical_gradient", 1.0, "1.1e-5 / 2e-5"),
    ("kink_relative_error", 0.45, "0.45 / 1.55"),
    ("kink_fix", "A", "straddles the kink"),
]


@functools.lru_cache(maxsize=None)
def _run(grade_id: str, answer):
    """run_check on the course; cached because checks are deterministic (tested below)."""
    return run_check(_COURSE, grade_id, answer)


def _name(fn) -> str:
    return f"{getattr(fn, '__module__', '').rsplit('.', 1)[-1]}.{getattr(fn, '__name__', repr(fn))}"


# -- coverage ------------------------------------------------------------------------------------------

def test_the_tables_list_only_cells_of_the_notebook():
    """The tables test the checks they list; every cell, listed or not, is covered by the corpus or
    its question's row (tests/test_check_coverage.py)."""
    assert CELLS, f"course.yaml lists no autograded cells for {NOTEBOOK}"
    checks = {check for _, check in CELLS}
    assert checks <= set(CHECKS)
    listed = set(CHECK_TABLE) | set(QUESTION_TABLE)
    assert listed <= checks, f"table entries no cell uses: {sorted(listed - checks)}"
    for check, (correct, bugs) in CHECK_TABLE.items():
        assert len(correct) >= 2 and bugs, check
    for check, (right, wrong) in QUESTION_TABLE.items():
        assert len(right) >= 2 and wrong, check


def test_question_specs_match_the_table():
    assert set(QUESTION_TABLE) <= set(QUESTIONS)


# -- functions: correct gets full marks, each bug loses points where it should ---------------------------

@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_correct_implementations_get_full_marks(grade_id, check):
    points = _COURSE.test_cell(grade_id).points
    for fn in CHECK_TABLE[check][0]:
        outcome, printed, warned = _run(grade_id, fn)
        assert outcome.fraction == 1.0, f"{_name(fn)} on {grade_id}:\n{outcome.report()}"
        assert outcome.score == points and outcome.results
        assert printed == "" and warned == [], f"{_name(fn)}: quiet code, yet captured {printed!r} {warned}"
    for fn in PRINTING.get(DOMAIN_OF[check], []):
        outcome, printed, warned = _run(grade_id, fn)
        assert outcome.fraction == 1.0 and "relative error" in printed and warned == [], outcome.report()


_BUG_CHECK_PAIRS = [(bug, check) for bug, (domain, _) in BUG_EFFECTS.items() for check in DOMAINS[domain]]


@pytest.mark.parametrize("bug,check", _BUG_CHECK_PAIRS, ids=[f"{_name(b)}-{c}" for b, c in _BUG_CHECK_PAIRS])
def test_bug_loses_points_only_where_it_should(bug, check):
    outcome, _, _ = _run(FIRST_CELL_OF[check], bug)
    assert_bug_effect(outcome, _name(bug), check, loses=check in _losing_checks(bug))


@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_stub_gets_zero_and_is_called_a_stub(grade_id, check):
    outcome, _, _ = _run(grade_id, STUBS[DOMAIN_OF[check]])
    assert outcome.score == 0.0 and outcome.fraction == 0.0, outcome.report()
    assert "stub" in outcome.report()


@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_no_answer_at_all_gets_zero(grade_id, check):
    outcome, _, _ = _run(grade_id, None)
    assert outcome.score == 0.0, outcome.report()
    assert "to be a function" in outcome.report()


# -- an answer that ignores its inputs earns nothing (DESIGN.md principle 10) ---------------------------

DO_NOTHING = {
    "eval_numerical_gradient": [impl.numgrad_zeros, impl.numgrad_constant_fx, impl.numgrad_echo, impl.numgrad_random,
                                impl.numgrad_perturbs_but_returns_zeros],
    "rel_error": [impl.rel_error_zeros, impl.rel_error_constant, impl.rel_error_echo, impl.rel_error_random],
    "grad_check_sparse": [impl.gcs_zeros, impl.gcs_constant, impl.gcs_echo, impl.gcs_random],
}
# The cells without a basic case: every criterion compares the answer with a value no do-nothing produces.
UNGATED = {V, "rel_error_values"}
# Realistic slips the basic cases are lenient on: they keep the credit of the criteria they satisfy.
PASS_THE_BASIC_CASE = {
    "eval_numerical_gradient": [impl.numgrad_forward, impl.numgrad_divides_by_h, impl.numgrad_precedence,
                                impl.numgrad_wrong_sign, impl.numgrad_ignores_h, impl.numgrad_wasteful,
                                impl.numgrad_restores_plus_h, impl.numgrad_never_restores,
                                impl.numgrad_restores_by_adding, impl.numgrad_returns_x, impl.numgrad_flat_shape],
    "rel_error": [impl.rel_error_no_max, impl.rel_error_no_floor, impl.rel_error_x_only, impl.rel_error_no_abs,
                  impl.rel_error_mean, impl.rel_error_additive_floor, impl.rel_error_abs_of_sum,
                  impl.rel_error_in_place],
    "grad_check_sparse": [impl.gcs_signed, impl.gcs_forward, impl.gcs_ignores_seed, impl.gcs_fixed_seed,
                          impl.gcs_index_zero, impl.gcs_not_restored, impl.gcs_large_h],
}
GATED_CELLS = [(gid, check) for gid, check in FUNCTION_CELLS if check not in UNGATED]


def test_gated_cells_are_the_cells_with_a_basic_case():
    for grade_id, check in FUNCTION_CELLS:
        assert (get_basic_case(check) is None) == (check in UNGATED), grade_id


@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_do_nothing_answers_score_zero(grade_id, check):
    for fn in DO_NOTHING[DOMAIN_OF[check]]:
        assert_earns_nothing(_run(grade_id, fn)[0], _name(fn), gated=check not in UNGATED)


@pytest.mark.parametrize("grade_id,check", GATED_CELLS, ids=[g for g, _ in GATED_CELLS])
def test_basic_case_passes_correct_answers_and_lenient_slips(grade_id, check):
    domain = DOMAIN_OF[check]
    for fn in CHECK_TABLE[check][0] + PRINTING.get(domain, []) + PASS_THE_BASIC_CASE[domain]:
        assert_passes_basic_case(_run(grade_id, fn)[0], _name(fn))


@pytest.mark.parametrize("grade_id,fn,cause", [
    ("eval_numerical_gradient-in_place", impl.numgrad_zeros, "all zeros"),
    ("eval_numerical_gradient-in_place", impl.numgrad_perturbs_but_returns_zeros, "all zeros"),
    ("eval_numerical_gradient-centered", impl.numgrad_echo, "x itself"),
    ("eval_numerical_gradient-centered", impl.numgrad_constant_fx, "the same number, f(x)"),
    ("rel_error-properties", impl.rel_error_zeros, "different arrays have an error"),
    ("rel_error-properties", impl.rel_error_echo, "the same number for equal and for different arrays"),
    ("rel_error-properties", impl.rel_error_constant, "the same number for equal and for different arrays"),
    ("grad_check_sparse-errors", impl.gcs_zeros, "every error is 0"),
    ("grad_check_sparse-sampling", impl.gcs_constant, "the same for a right and a wrong analytic gradient"),
    ("grad_check_sparse-sampling", impl.gcs_echo, "entries of analytic_grad"),
])
def test_failed_basic_case_names_the_likely_cause(grade_id, fn, cause):
    assert_basic_case_names_cause(_run(grade_id, fn)[0], cause)


# -- feedback names the likely cause --------------------------------------------------------------------

FEEDBACK = [
    ("eval_numerical_gradient-values", impl.numgrad_forward, "forward differences"),
    ("eval_numerical_gradient-centered", impl.numgrad_forward, "forward differences"),
    ("eval_numerical_gradient-centered", impl.numgrad_forward, "once per entry"),
    ("eval_numerical_gradient-values", impl.numgrad_divides_by_h, "divide by 2 * h"),
    ("eval_numerical_gradient-values", impl.numgrad_precedence, "`/ (2 * h)`"),
    ("eval_numerical_gradient-values", impl.numgrad_wrong_sign, "wrong sign"),
    ("eval_numerical_gradient-centered", impl.numgrad_ignores_h, "is ignored"),
    ("eval_numerical_gradient-centered", impl.numgrad_wasteful, "more than twice per entry"),
    ("eval_numerical_gradient-in_place", impl.numgrad_restores_plus_h, "old_value + h"),
    ("eval_numerical_gradient-values", impl.numgrad_restores_plus_h, "shifted x"),
    ("eval_numerical_gradient-in_place", impl.numgrad_never_restores, "old_value - h"),
    ("eval_numerical_gradient-in_place", impl.numgrad_restores_by_adding, "rounding"),
    ("eval_numerical_gradient-in_place", impl.numgrad_returns_x, "new array"),
    ("eval_numerical_gradient-values", impl.numgrad_flat_shape, "flattened"),
    ("eval_numerical_gradient-values", impl.numgrad_int_grad, "integer"),
    ("rel_error-values", impl.rel_error_no_max, "np.max"),
    ("rel_error-properties", impl.rel_error_no_floor, "floor"),
    ("rel_error-values", impl.rel_error_x_only, "not |x|"),
    ("rel_error-values", impl.rel_error_no_abs, "absolute value"),
    ("rel_error-values", impl.rel_error_mean, "the largest one"),
    ("rel_error-properties", impl.rel_error_additive_floor, "np.maximum(1e-8"),
    ("rel_error-values", impl.rel_error_abs_of_sum, "not |x + y|"),
    ("grad_check_sparse-errors", impl.gcs_returns_mean, "not their mean"),
    ("grad_check_sparse-errors", impl.gcs_signed, "absolute values"),
    ("grad_check_sparse-errors", impl.gcs_forward, "forward"),
    ("grad_check_sparse-sampling", impl.gcs_ignores_seed, "default_rng(seed)"),
    ("grad_check_sparse-sampling", impl.gcs_fixed_seed, "default_rng(seed)"),
    ("grad_check_sparse-sampling", impl.gcs_index_zero, "random index for every check"),
    ("grad_check_sparse-sampling", impl.gcs_not_restored, "old_value"),
]


@pytest.mark.parametrize("grade_id,bug,cause", FEEDBACK, ids=[f"{g}-{_name(b)}" for g, b, _ in FEEDBACK])
def test_feedback_names_the_likely_cause(grade_id, bug, cause):
    outcome, _, _ = _run(grade_id, bug)
    assert_names_cause(outcome, cause)


def test_forward_differences_are_named_only_on_evidence():
    """Errors of 1e-7 to 1e-6 from centered differences with a larger h are not a forward difference's."""
    correct_is_tiny = lambda o: next(r for r in o.results if r.checked.startswith("a correct analytic"))  # noqa: E731
    result = correct_is_tiny(_run("grad_check_sparse-errors", impl.gcs_large_h)[0])
    assert not result.passed and "forward" not in result.cause, result
    result = correct_is_tiny(_run("grad_check_sparse-errors", impl.gcs_forward)[0])
    assert not result.passed and "forward" in result.cause, result


def test_rel_error_property_failure_shows_the_smallest_arrays():
    outcome, _, _ = _run("rel_error-properties", impl.rel_error_x_only)
    report = outcome.report()
    assert "smallest failing example:" in report and "x = " in report and "y = " in report, report


def test_no_floor_warning_is_captured_not_printed():
    outcome, printed, warned = _run("rel_error-properties", impl.rel_error_no_floor)
    assert outcome.fraction < 1.0
    assert any("RuntimeWarning" in w for w in warned)


def test_partial_credit_for_one_mistake():
    """Forward differences lose the values and centered cells, not the in-place one; within the values
    cell the linear function (where forward differences are exact) still passes."""
    outcome, _, _ = _run("eval_numerical_gradient-values", impl.numgrad_forward)
    assert 0 < outcome.fraction < 1
    assert _run("eval_numerical_gradient-in_place", impl.numgrad_forward)[0].fraction == 1.0


# -- questions -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("grade_id,check", QUESTION_CELLS, ids=[g for g, _ in QUESTION_CELLS])
def test_right_answers_get_full_marks(grade_id, check):
    for answer in QUESTION_TABLE[check][0]:
        outcome, printed, warned = run_check(_COURSE, grade_id, answer)
        assert outcome.fraction == 1.0, f"{answer!r}:\n{outcome.report()}"
        assert printed == "" and warned == []


@pytest.mark.parametrize("grade_id,check", QUESTION_CELLS, ids=[g for g, _ in QUESTION_CELLS])
def test_wrong_answers_lose_points(grade_id, check):
    for answer in QUESTION_TABLE[check][1]:
        outcome, _, _ = run_check(_COURSE, grade_id, answer)
        assert outcome.score == 0.0, f"{answer!r} scored on {grade_id}"
        report = outcome.report()
        assert "FAIL" in report and "expected:" in report and "got:" in report, report


@pytest.mark.parametrize("check,answer,why", WHY, ids=[f"{c}-{a!r}" for c, a, _ in WHY])
def test_wrong_answer_feedback_explains(check, answer, why):
    grade_id = next(g for g, c in QUESTION_CELLS if c == check)
    outcome, _, _ = run_check(_COURSE, grade_id, answer)
    assert "likely cause: " in outcome.report() and why in outcome.report(), outcome.report()


def test_kink_answers_are_what_the_reference_measures():
    f = lambda v: float(np.maximum(0.0, v).sum())  # noqa: E731
    x = np.array([1e-6])
    n = ref.eval_numerical_gradient(f, x, 1e-5)[0]
    assert math.isclose(n, QUESTIONS["kink_numerical_gradient"].value, rel_tol=1e-9)
    assert math.isclose(ref.pointwise_error(n, 1.0), QUESTIONS["kink_relative_error"].value,
                        rel_tol=1e-9)
    # the fix the right choice names: away from the kink, or with h < |x|
    assert ref.pointwise_error(ref.eval_numerical_gradient(f, np.array([1e-3]), 1e-5)[0], 1.0) < 1e-9
    assert ref.pointwise_error(ref.eval_numerical_gradient(f, np.array([1e-6]), 1e-7)[0], 1.0) < 1e-7
    # and the wrong one does not help
    assert ref.pointwise_error(ref.eval_numerical_gradient(f, np.array([1e-6]), 1e-3)[0], 1.0) > 0.3


def test_finite_difference_answers_are_what_the_formulas_give():
    fwd, ctr = ((1.1) ** 3 - 1) / 0.1, ((1.1) ** 3 - 0.9 ** 3) / 0.2
    q = QUESTIONS
    assert math.isclose(fwd, q["finite_difference_forward"].value, rel_tol=1e-12)
    assert math.isclose(ctr, q["finite_difference_centered"].value, rel_tol=1e-12)
    err = [abs(((1 + h) ** 3 - (1 - h) ** 3) / (2 * h) - 3) for h in (1e-1, 1e-2)]
    assert math.isclose(err[0] / err[1], q["finite_difference_order"].value, rel_tol=1e-6)


# -- the reference and the thresholds ----------------------------------------------------------------------

def test_centered_and_forward_differences_are_far_apart_from_the_values_threshold():
    """The values cell's threshold sits between what centered differences reach (~1e-9) and forward ones."""
    tol = _COURSE.test_cell("eval_numerical_gradient-values").params["max_rel_error"]
    rng = np.random.default_rng(0)
    c = rng.uniform(0.5, 2.0, (2, 3, 2))
    x = rng.uniform(0.5, 2.0, (2, 3, 2)) * rng.choice([-1.0, 1.0], (2, 3, 2))
    f = lambda w: float(np.sum(c * w ** 3))  # noqa: E731
    true = 3 * c * x ** 2
    from grader.numerics import relative_error
    assert relative_error(ref.eval_numerical_gradient(f, x.copy()), true) < tol / 10
    assert relative_error(ref.one_sided_gradient(f, x), true) > 10 * tol


def test_reference_restores_x_bitwise_and_works_through_closures():
    rng = np.random.default_rng(1)
    W = rng.standard_normal((4, 3))
    before = W.copy()
    grad = ref.eval_numerical_gradient(lambda _w: float(np.sum(W ** 2)), W)   # reads W, not its argument
    assert np.array_equal(W, before) and np.allclose(grad, 2 * before, rtol=1e-8)


# -- the solution notebook, in-process ---------------------------------------------------------------------

def test_solution_answers_get_full_marks_in_process():
    path = REPO / "solutions" / "lecture3" / f"{NOTEBOOK}.ipynb"
    answers = solution_answers(path)
    namespace: dict = {}
    cells = nbformat.read(path, as_version=4).cells
    for cell in cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("locked") and not meta.get("grade") or meta.get("solution")):
            exec(answers.get(meta.get("grade_id"), cell.source), namespace)
    graded = 0
    for cell in cells:
        for grade_id, expr in re.findall(r'grade\("([^"]+)", (.+)\)', cell.source):
            outcome, printed, warned = run_check(_COURSE, grade_id, eval(expr, namespace))
            assert outcome.fraction == 1.0, outcome.report()
            assert printed == "" and warned == []
            graded += 1
    assert graded == len(CELLS)


# -- determinism --------------------------------------------------------------------------------------------

def test_same_check_twice_and_in_another_order_gives_identical_results():
    runs = [("eval_numerical_gradient-values", impl.numgrad_forward),
            ("rel_error-properties", impl.rel_error_x_only),
            ("rel_error-values", impl.rel_error_no_floor),
            ("grad_check_sparse-errors", impl.gcs_signed),
            ("grad_check_sparse-sampling", impl.gcs_index_zero),
            ("eval_numerical_gradient-centered", impl.numgrad_ndindex)]

    def fresh(g, f):
        o, p, w = run_check(_COURSE, g, f)
        return o.score, o.report(), p, w

    forward = [fresh(g, f) for g, f in runs]
    backward = [fresh(g, f) for g, f in reversed(runs)][::-1]
    assert forward == backward
