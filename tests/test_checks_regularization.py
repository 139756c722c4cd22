"""The checks of the regularization notebook (L2, L1, elastic net, regularized_loss, the w1 / w2
questions, the ridge polynomial fit).

For every autograded test cell of the notebook: correct implementations written in different ways get
full marks, realistic buggy ones (one mistake each) lose points exactly on the checks that should catch
that mistake, stubs and missing answers get zero, and the feedback names the likely cause. The corpus
(grader/corpus/*/regularization) is also run in-process: a mutant loses points only on the cells of its
own function, a variant keeps every point.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from check_assertions import (assert_basic_case_names_cause, assert_bug_effect, assert_earns_nothing,
                               assert_names_cause, assert_passes_basic_case)

import implementations_regularization as impl
from grader.checks import CHECKS
from grader.checks.registry import get_basic_case
from grader.checks.calls import trusted_names
from grader.checks.regularizers import TRUSTED_HELPERS
from grader.course import load_course
from grader.grading import run_check
from grader.submissions import mutants, solution_answers, variants

REPO = Path(__file__).resolve().parents[1]
COURSE_FILE = str(REPO / "course.yaml")
NOTEBOOK = "regularization"
SOLUTION = REPO / "solutions" / "lecture3" / f"{NOTEBOOK}.ipynb"


def release_points(notebook: str) -> dict[str, float]:
    """grade_id -> points of every graded cell of the committed release of `notebook`."""
    nb = nbformat.read(REPO / "assignments" / "lecture3" / f"{notebook}.ipynb", as_version=4)
    return {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade")}

_COURSE = load_course(COURSE_FILE, check_notebooks=False)
_NB = _COURSE.assignments["lecture3"].notebooks[NOTEBOOK]
CELLS = [(gid, cell.check) for task in _NB.tasks.values() for gid, cell in task.tests.items()]

# -- what each kind of answer is checked by ---------------------------------------------------------

DOMAINS = {
    "l2": ["l2_values", "l2_gradient", "l2_properties"],
    "l1": ["l1_values", "l1_gradient", "l1_properties"],
    "elastic_net": ["elastic_net_values", "elastic_net_properties"],
    "regularized_loss": ["regularized_loss_values", "regularized_loss_calls"],
    "ridge": ["ridge_values", "ridge_properties"],
}
DOMAIN_OF = {check: domain for domain, checks in DOMAINS.items() for check in checks}

CORRECT = {
    "l2": [impl.l2_sum_of_squares, impl.l2_vdot, impl.l2_norm_squared, impl.l2_loops],
    "l1": [impl.l1_abs_sign, impl.l1_copysign, impl.l1_masks],
    "elastic_net": [impl.elastic_direct, impl.elastic_pieces, impl.elastic_calls_helpers],
    "regularized_loss": [impl.rloss_plain, impl.rloss_keywords, impl.rloss_in_place],
    "ridge": [impl.ridge_solve, impl.ridge_lstsq_augmented, impl.ridge_inverse],
}
STUBS = {"l2": impl.stub_regularizer, "l1": impl.stub_regularizer, "elastic_net": impl.stub_elastic,
         "regularized_loss": impl.stub_rloss, "ridge": impl.stub_ridge}

_ALL = object()
# bug -> (its domain, the checks it must lose points on); full marks on every other check of its domain.
BUG_EFFECTS = {
    impl.l2_grad_reg_w: ("l2", {"l2_gradient"}),
    impl.l2_norm_not_squared: ("l2", {"l2_values", "l2_properties"}),
    impl.l2_missing_reg: ("l2", {"l2_values", "l2_properties"}),
    impl.l2_half: ("l2", {"l2_values", "l2_gradient"}),
    impl.l2_sum_not_squared: ("l2", {"l2_values", "l2_properties"}),
    impl.l2_grad_missing_reg: ("l2", {"l2_gradient", "l2_properties"}),
    impl.l2_mutates_W: ("l2", {"l2_properties"}),
    impl.l2_sum_axis0: ("l2", _ALL),
    impl.l1_no_abs: ("l1", {"l1_values", "l1_properties"}),
    impl.l1_grad_reg_w: ("l1", {"l1_gradient", "l1_properties"}),
    impl.l1_grad_one_at_zero: ("l1", {"l1_gradient", "l1_properties"}),
    impl.l1_grad_missing_reg: ("l1", {"l1_gradient", "l1_properties"}),
    impl.l1_missing_reg: ("l1", {"l1_values", "l1_properties"}),
    impl.l1_grad_ones: ("l1", {"l1_gradient", "l1_properties"}),
    impl.l1_smooth_abs: ("l1", _ALL),
    impl.elastic_swapped: ("elastic_net", _ALL),
    impl.elastic_unweighted: ("elastic_net", _ALL),
    impl.elastic_ignores_ratio: ("elastic_net", _ALL),
    impl.elastic_default_ratio_wrong: ("elastic_net", {"elastic_net_values"}),
    impl.elastic_grad_l2_factor: ("elastic_net", _ALL),
    impl.rloss_reg_twice: ("regularized_loss", _ALL),
    impl.rloss_drops_dR: ("regularized_loss", _ALL),
    impl.rloss_passes_reg: ("regularized_loss", _ALL),
    impl.rloss_own_l2: ("regularized_loss", _ALL),
    impl.ridge_vander_decreasing: ("ridge", {"ridge_values"}),
    impl.ridge_lam_every_entry: ("ridge", _ALL),
    impl.ridge_ignores_lam: ("ridge", _ALL),
    impl.ridge_mean_loss: ("ridge", {"ridge_values"}),
    impl.ridge_degree_columns: ("ridge", _ALL),
    impl.ridge_column_vector: ("ridge", _ALL),
    impl.ridge_sorts_in_place: ("ridge", {"ridge_properties"}),
}


def _losing_checks(bug) -> set[str]:
    domain, losing = BUG_EFFECTS[bug]
    return set(DOMAINS[domain]) if losing is _ALL else set(losing)


# The questions: check -> (right answers, wrong answers).
QUESTIONS = {
    "reg_l2_prefers": (["w2", "W2", " w2 "], ["w1", "W1", None, "both", 2, "A", ("w2",)]),
    "reg_l1_penalties": ([(1.0, 1.0), [1, 1], (np.float64(1.0), 1.0), (1.0000001, 0.9999999)],
                         [(1.0, 0.25), (0.25, 1.0), (1.0, 0.5), (4.0, 1.0), None, (None, None), 1.0, (1.0,),
                          ("1", "1"), (1.0, 1.0, 1.0), (np.inf, 1.0), (np.array([1.0, 1.0]), 1.0)]),
    "reg_sparsity": (["A", "a", " A\n"], ["B", "b", "C", None, "L1", 1, ("A",)]),
}

# check -> (correct answers, answers that lose points): for this notebook's cells, functions and
# questions alike (the shape of the other test modules' CHECK_TABLE and QUESTION_TABLE).
CHECK_TABLE = {
    **{check: (CORRECT[domain], [bug for bug in BUG_EFFECTS if check in _losing_checks(bug)])
       for domain, checks in DOMAINS.items() for check in checks},
    **QUESTIONS,
}

FUNCTION_CELLS = [(gid, check) for gid, check in CELLS if check in DOMAIN_OF]
QUESTION_CELLS = [(gid, check) for gid, check in CELLS if check in QUESTIONS]
FIRST_CELL_OF = {check: gid for gid, check in reversed(CELLS)}


@functools.lru_cache(maxsize=None)
def _run(grade_id: str, answer):
    return run_check(_COURSE, grade_id, answer)


def _name(fn) -> str:
    return getattr(fn, "__name__", repr(fn))


# -- coverage --------------------------------------------------------------------------------------

def test_table_lists_only_cells_of_the_notebook():
    """The table tests the checks it lists; every cell, listed or not, is covered by the corpus
    (tests/test_check_coverage.py)."""
    used = {check for _, check in CELLS}
    assert used <= set(CHECKS), f"unregistered checks {sorted(used - set(CHECKS))}"
    assert set(CHECK_TABLE) <= used, f"table entries no cell uses: {sorted(set(CHECK_TABLE) - used)}"
    for check, (right, wrong) in CHECK_TABLE.items():
        assert len(right) >= 2 and wrong, check


def test_points_of_the_notebook():
    """course.yaml is the one place for points: the committed release carries exactly them (a points
    edit without `nbgrader generate_assignment --force`, or a release edited by hand, fails here)."""
    assert release_points(NOTEBOOK) == _NB.graded_cells


# -- per cell: correct gets full marks, a bug loses points -------------------------------------------

@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_correct_implementations_get_full_marks(grade_id, check):
    points = _COURSE.test_cell(grade_id).points
    for fn in CHECK_TABLE[check][0]:
        outcome, printed, warned = _run(grade_id, fn)
        assert outcome.fraction == 1.0, f"{_name(fn)} on {grade_id}:\n{outcome.report()}"
        assert outcome.score == points and outcome.results
        assert printed == "" and warned == [], f"{_name(fn)}: captured {printed!r} {warned}"


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
    assert all("NotImplementedError" in r.got for r in outcome.results if not r.passed)


@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_no_answer_at_all_gets_zero(grade_id, check):
    outcome, _, _ = _run(grade_id, None)
    assert outcome.score == 0.0, outcome.report()
    assert "to be a function" in outcome.report()


# -- an answer that ignores its inputs earns nothing (DESIGN.md principle 10) -----------------------

DO_NOTHING = {
    "l2": [impl.regularizer_zeros, impl.regularizer_constant, impl.regularizer_echo, impl.regularizer_random],
    "l1": [impl.regularizer_zeros, impl.regularizer_constant, impl.regularizer_echo, impl.regularizer_random],
    "elastic_net": [impl.elastic_zeros, impl.elastic_constant, impl.elastic_echo, impl.elastic_random],
    "regularized_loss": [impl.rloss_zeros, impl.rloss_constant, impl.rloss_echo, impl.rloss_random],
    "ridge": [impl.ridge_zeros, impl.ridge_constant, impl.ridge_echo, impl.ridge_random],
}
# The cells without a basic case: every criterion compares dR with a value no do-nothing answer produces.
UNGATED = {"l2_gradient", "l1_gradient"}
# Realistic slips the basic cases are lenient on: they keep the credit of the criteria they satisfy.
PASS_THE_BASIC_CASE = {
    "l2": [impl.l2_grad_reg_w, impl.l2_norm_not_squared, impl.l2_missing_reg, impl.l2_half, impl.l2_sum_not_squared,
           impl.l2_grad_missing_reg, impl.l2_mutates_W],
    "l1": [impl.l1_no_abs, impl.l1_grad_reg_w, impl.l1_grad_one_at_zero, impl.l1_grad_missing_reg, impl.l1_missing_reg,
           impl.l1_grad_ones, impl.l1_smooth_abs],
    "elastic_net": [impl.elastic_swapped, impl.elastic_unweighted, impl.elastic_ignores_ratio,
                    impl.elastic_default_ratio_wrong, impl.elastic_grad_l2_factor],
    "regularized_loss": [impl.rloss_reg_twice, impl.rloss_drops_dR, impl.rloss_own_l2],
    "ridge": [impl.ridge_vander_decreasing, impl.ridge_mean_loss, impl.ridge_lam_every_entry, impl.ridge_ignores_lam,
              impl.ridge_sorts_in_place],
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
    for fn in CHECK_TABLE[check][0] + PASS_THE_BASIC_CASE[domain]:
        assert_passes_basic_case(_run(grade_id, fn)[0], _name(fn))


@pytest.mark.parametrize("grade_id,fn,cause", [
    ("l2_regularization-values", impl.regularizer_zeros, "R is 0 for a non-zero W"),
    ("l2_regularization-properties", impl.regularizer_echo, "does not change when W changes"),
    ("l1_regularization-properties", impl.regularizer_constant, "does not change when W changes"),
    ("elastic_net_regularization-values", impl.elastic_zeros, "R is 0 for a non-zero W"),
    ("regularized_loss-calls", impl.rloss_zeros, "the loss is 0"),
    ("fit_polynomial_ridge-properties", impl.ridge_zeros, "all 0"),
])
def test_failed_basic_case_names_the_likely_cause(grade_id, fn, cause):
    assert_basic_case_names_cause(_run(grade_id, fn)[0], cause)


def test_the_subgradient_convention_is_named_only_on_evidence():
    """A smoothed |w| has R(0) != 0 and dR(0) = 0: the fault is R, not the subgradient at the kink."""
    outcome, _, _ = _run("l1_regularization-properties", impl.l1_smooth_abs)
    at_zero = next(r for r in outcome.results if r.checked.startswith("R(0) = 0"))
    assert not at_zero.passed and "subgradient" not in at_zero.cause, outcome.report()
    outcome, _, _ = _run("l1_regularization-properties", impl.l1_grad_one_at_zero)
    at_zero = next(r for r in outcome.results if r.checked.startswith("R(0) = 0"))
    assert not at_zero.passed and "np.sign(0) = 0" in at_zero.cause, outcome.report()


def test_a_sign_slip_is_diagnosed_only_on_evidence():
    """R = reg * sum(W) is negative for -W: the basic case's W has a positive sum, so the slip passes it
    and loses points where its output shows the mistake."""
    outcome, _, _ = _run("l1_regularization-values", impl.l1_no_abs)
    assert outcome.basic.passed and 0 < outcome.fraction < 1


# -- feedback teaches ------------------------------------------------------------------------------

FEEDBACK = [
    ("l2_regularization-gradient", impl.l2_grad_reg_w, "2 * reg * W"),
    ("l2_regularization-gradient", impl.l2_grad_missing_reg, "strength is missing from dR"),
    ("l2_regularization-gradient", impl.l2_half, "2 * reg * W"),
    ("l2_regularization-values", impl.l2_norm_not_squared, "*squared* norm"),
    ("l2_regularization-values", impl.l2_missing_reg, "strength is missing"),
    ("l2_regularization-values", impl.l2_half, "without a factor 0.5"),
    ("l2_regularization-values", impl.l2_sum_not_squared, "must be squared"),
    ("l2_regularization-values", impl.l2_sum_axis0, "np.sum without an axis"),
    ("l2_regularization-properties", impl.l2_mutates_W, "in place"),
    ("l2_regularization-properties", impl.l2_norm_not_squared, "grow like c^2"),
    ("l1_regularization-values", impl.l1_no_abs, "absolute value is missing"),
    ("l1_regularization-values", impl.l1_missing_reg, "strength is missing"),
    ("l1_regularization-gradient", impl.l1_grad_reg_w, "sign(w)"),
    ("l1_regularization-gradient", impl.l1_grad_one_at_zero, "np.sign(0) = 0"),
    ("l1_regularization-gradient", impl.l1_grad_ones, "-1 for negative"),
    ("l1_regularization-properties", impl.l1_grad_one_at_zero, "np.sign(0) = 0"),
    ("elastic_net_regularization-values", impl.elastic_swapped, "swapped"),
    ("elastic_net_regularization-values", impl.elastic_unweighted, "must be weighted"),
    ("elastic_net_regularization-values", impl.elastic_ignores_ratio, "l1_ratio is ignored"),
    ("elastic_net_regularization-values", impl.elastic_default_ratio_wrong, "default l1_ratio is 0.5"),
    ("elastic_net_regularization-properties", impl.elastic_swapped, "swapped"),
    ("regularized_loss-values", impl.rloss_reg_twice, "counted twice"),
    ("regularized_loss-calls", impl.rloss_reg_twice, "counted twice"),
    ("regularized_loss-values", impl.rloss_drops_dR, "dR is missing"),
    ("regularized_loss-calls", impl.rloss_passes_reg, "do not pass reg"),
    ("regularized_loss-calls", impl.rloss_own_l2, "use the regularizer you are given"),
    ("fit_polynomial_ridge-values", impl.ridge_vander_decreasing, "reverse order"),
    ("fit_polynomial_ridge-values", impl.ridge_lam_every_entry, "diagonal only"),
    ("fit_polynomial_ridge-values", impl.ridge_ignores_lam, "lam is not used"),
    ("fit_polynomial_ridge-values", impl.ridge_mean_loss, "no N"),
    ("fit_polynomial_ridge-values", impl.ridge_degree_columns, "degree + 1"),
    ("fit_polynomial_ridge-properties", impl.ridge_sorts_in_place, "new arrays"),
]


@pytest.mark.parametrize("grade_id,bug,cause", FEEDBACK, ids=[f"{g}-{_name(b)}" for g, b, _ in FEEDBACK])
def test_feedback_names_the_likely_cause(grade_id, bug, cause):
    outcome, _, _ = _run(grade_id, bug)
    assert_names_cause(outcome, cause)


@pytest.mark.parametrize("grade_id,bug", [
    ("l2_regularization-properties", impl.l2_norm_not_squared),
    ("l1_regularization-properties", impl.l1_grad_one_at_zero),
    ("l2_regularization-properties", impl.l2_mutates_W),
])
def test_property_failure_shows_smallest_counterexample(grade_id, bug):
    outcome, _, _ = _run(grade_id, bug)
    report = outcome.report()
    assert "smallest failing example:" in report and "W = " in report and "reg = " in report, report


def test_expected_and_got_are_the_right_numbers():
    """The lecture's w2 under the norm-not-squared bug: expected 0.25, got 0.5."""
    outcome, _, _ = _run("l2_regularization-values", impl.l2_norm_not_squared)
    lecture = next(r for r in outcome.results if "w1" in r.checked)
    assert not lecture.passed and "0.25" in lecture.expected and lecture.got == "0.5"


# -- one bug costs points once: the elastic net is graded with trusted L1 / L2 -------------------

def test_elastic_net_that_calls_buggy_helpers_is_graded_with_the_references():
    # this module's l1_regularization and l2_regularization are wrong on purpose
    assert impl.l1_regularization(np.array([-1.0]), 1.0)[0] != 1.0
    for grade_id in ("elastic_net_regularization-values", "elastic_net_regularization-properties"):
        outcome, _, _ = run_check(_COURSE, grade_id, impl.elastic_calls_helpers)
        assert outcome.fraction == 1.0, outcome.report()
    # and the module's own names are back afterwards
    assert impl.l1_regularization(np.array([-1.0]), 1.0)[0] == -1.0
    assert impl.__dict__["l2_regularization"] is not TRUSTED_HELPERS["l2_regularization"]


def test_trusted_helpers_restores_missing_names():
    namespace = {}
    exec("def f(W, reg):\n    return l1_regularization(W, reg)\n", namespace)  # noqa: S102
    with trusted_names(namespace["f"], TRUSTED_HELPERS):
        assert namespace["f"](np.array([-2.0]), 0.5)[0] == 1.0
    assert "l1_regularization" not in namespace and "l2_regularization" not in namespace


# -- the questions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("grade_id,check", QUESTION_CELLS, ids=[g for g, _ in QUESTION_CELLS])
def test_right_answers_get_full_marks(grade_id, check):
    points = _COURSE.test_cell(grade_id).points
    for answer in QUESTIONS[check][0]:
        outcome, printed, warned = run_check(_COURSE, grade_id, answer)
        assert outcome.fraction == 1.0 and outcome.score == points, f"{answer!r}:\n{outcome.report()}"
        assert printed == "" and warned == []


@pytest.mark.parametrize("grade_id,check", QUESTION_CELLS, ids=[g for g, _ in QUESTION_CELLS])
def test_wrong_answers_lose_points(grade_id, check):
    points = _COURSE.test_cell(grade_id).points
    for answer in QUESTIONS[check][1]:
        outcome, _, _ = run_check(_COURSE, grade_id, answer)
        assert outcome.score < points, f"{answer!r} got full marks on {grade_id}"
        report = outcome.report()
        assert "FAIL" in report and "expected:" in report and "got:" in report, report


@pytest.mark.parametrize("grade_id,answer", [
    ("regularization_questions-l2_prefers", None),
    ("regularization_questions-l1_penalties", (None, None)),
    ("regularization_questions-sparsity", None),
])
def test_unanswered_question_gets_zero(grade_id, answer):
    outcome, _, _ = run_check(_COURSE, grade_id, answer)
    assert outcome.score == 0.0
    assert "not answered" in outcome.report() or "one letter" in outcome.report(), outcome.report()


@pytest.mark.parametrize("grade_id,answer,why", [
    ("regularization_questions-l2_prefers", "w1", "spread-out w2"),
    ("regularization_questions-l1_penalties", (1.0, 0.25), "a tie with w1"),
    ("regularization_questions-sparsity", "B", "exactly 0"),
])
def test_wrong_answer_feedback_explains(grade_id, answer, why):
    outcome, _, _ = run_check(_COURSE, grade_id, answer)
    assert outcome.fraction < 1.0
    assert "likely cause: " in outcome.report() and why in outcome.report(), outcome.report()


def test_l1_penalties_give_half_credit_for_one_right_half():
    outcome, _, _ = run_check(_COURSE, "regularization_questions-l1_penalties", (1.0, 0.25))
    assert outcome.fraction == 0.5


# -- the corpus, in-process ------------------------------------------------------------------------

_GRADE_CALL = re.compile(r'grade\("([^"]+)", (.+)\)')


def _notebook_namespace(replaced: dict[str, str] | None = None) -> tuple[dict, list[tuple[str, str]]]:
    """The kernel's namespace after running the solution notebook's setup, helper and answer cells (with
    some answers replaced), and the (grade_id, expression) of every hidden test call."""
    answers = {**solution_answers(SOLUTION), **(replaced or {})}
    namespace: dict = {}
    calls = []
    for cell in nbformat.read(SOLUTION, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("locked") and not meta.get("grade") or meta.get("solution")):
            exec(answers.get(meta.get("grade_id"), cell.source), namespace)  # noqa: S102
        calls += _GRADE_CALL.findall(cell.source)
    return namespace, calls


def _scores(replaced=None) -> dict[str, float]:
    namespace, calls = _notebook_namespace(replaced)
    return {gid: run_check(_COURSE, gid, eval(expr, namespace))[0].score for gid, expr in calls}  # noqa: S307


@pytest.fixture(scope="module")
def full_marks():
    return {gid: _COURSE.test_cell(gid).points for gid, _ in CELLS}


def test_solution_gets_full_marks_in_process(full_marks):
    assert _scores() == full_marks


MUTANTS = mutants(NOTEBOOK)
VARIANTS = variants(NOTEBOOK)


def test_corpus_size():
    assert len(MUTANTS) >= 8 and len(VARIANTS) >= 4
    assert {m.function for m in MUTANTS} >= {"l2_regularization", "l1_regularization", "elastic_net_regularization",
                                             "regularized_loss", "fit_polynomial_ridge"}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_mutant_loses_points_on_its_function_only(mutant, full_marks):
    got = _scores({mutant.function: mutant.source})
    lost = {g: (got[g], p) for g, p in full_marks.items() if got[g] != p}
    assert lost, f"{mutant.name} ({mutant.description}) keeps every point"
    assert all(g.startswith(f"{mutant.function}-") for g in lost), f"{mutant.name} loses outside its function: {lost}"


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_variant_keeps_every_point(variant, full_marks):
    assert _scores({variant.function: variant.source}) == full_marks, variant.description


# -- determinism -----------------------------------------------------------------------------------

def test_same_check_twice_gives_identical_results():
    for grade_id, fn in [("l2_regularization-properties", impl.l2_norm_not_squared),
                         ("l1_regularization-properties", impl.l1_grad_one_at_zero),
                         ("fit_polynomial_ridge-properties", impl.ridge_lam_every_entry)]:
        first, second = run_check(_COURSE, grade_id, fn)[0], run_check(_COURSE, grade_id, fn)[0]
        assert first.score == second.score and first.report() == second.report()
