"""The checks of the function answers (hinge, SVM, softmax probabilities, softmax loss).

A check that cannot fail is a defect: for every autograded test cell of course.yaml whose answer is
a function, correct implementations (written in different ways) get full marks, and realistic buggy
ones, one mistake each, lose points exactly on the checks that should catch that mistake.
"""

from __future__ import annotations

import functools

from pathlib import Path

import numpy as np
import pytest
from check_assertions import assert_bug_effect, assert_names_cause

import implementations as impl
from grader.checks import CHECKS
from grader.course import load_course
from grader.grading import run_check

COURSE_FILE = str(Path(__file__).resolve().parents[1] / "course.yaml")

# -- what each kind of answer is checked by ---------------------------------------------------------

DOMAINS = {
    "hinge": ["hinge_lecture_example", "hinge_values", "hinge_properties"],
    "svm": ["svm_sanity", "svm_loss_value", "svm_gradient", "svm_properties"],
    "softmax_probabilities": ["softmax_probability_values", "softmax_probability_stability",
                              "softmax_probability_properties"],
    "softmax_loss": ["softmax_sanity", "softmax_loss_value", "softmax_gradient", "softmax_stability",
                     "softmax_properties"],
}
DOMAIN_OF = {check: domain for domain, checks in DOMAINS.items() for check in checks}

CORRECT = {
    "hinge": [impl.hinge_vectorized, impl.hinge_loops, impl.hinge_mask],
    "svm": [impl.svm_naive, impl.svm_vectorized, impl.svm_add_at, impl.svm_bincount],
    # A global max shift is correct: it only fails where one row's scores spread over hundreds, where
    # no check goes (DESIGN.md principle 9).
    "softmax_probabilities": [impl.softmax_rowmax, impl.softmax_logaddexp, impl.softmax_loops,
                              impl.softmax_global_max],
    "softmax_loss": [impl.softmax_loss_naive, impl.softmax_loss_vectorized, impl.softmax_loss_logaddexp,
                     impl.softmax_loss_float32_input_safe, impl.softmax_loss_global_max],
}

STUBS = {"hinge": impl.stub1, "svm": impl.stub4, "softmax_probabilities": impl.stub_softmax,
         "softmax_loss": impl.stub4}

_ALL = object()
# bug -> (its domain, the checks it must lose points on); on every other check of its domain it must
# get full marks (a check that punishes a mistake it is not about is a defect too).
BUG_EFFECTS = {
    # multiclass_hinge_loss
    impl.hinge_returns_mean: ("hinge", _ALL),
    impl.hinge_counts_true_class: ("hinge", _ALL),
    impl.hinge_no_delta: ("hinge", {"hinge_lecture_example", "hinge_values"}),
    impl.hinge_no_max: ("hinge", _ALL),
    impl.hinge_mutates_scores: ("hinge", {"hinge_properties"}),
    # svm_loss_*
    impl.svm_reg_grad_factor: ("svm", {"svm_gradient", "svm_properties"}),
    impl.svm_reg_missing_from_loss: ("svm", {"svm_loss_value", "svm_properties"}),
    impl.svm_reg_missing_from_dW: ("svm", {"svm_gradient", "svm_properties"}),
    impl.svm_reg_grad_per_example: ("svm", {"svm_gradient", "svm_properties"}),
    impl.svm_loss_not_divided: ("svm", {"svm_sanity", "svm_loss_value", "svm_properties"}),
    impl.svm_dW_not_divided: ("svm", {"svm_gradient", "svm_properties"}),
    impl.svm_counts_true_class: ("svm", {"svm_sanity", "svm_loss_value", "svm_properties"}),
    impl.svm_true_class_once: ("svm", {"svm_gradient"}),
    impl.svm_delta_zero: ("svm", {"svm_sanity", "svm_loss_value", "svm_gradient"}),
    impl.svm_no_max: ("svm", _ALL),
    impl.svm_tie_trick: ("svm", {"svm_sanity"}),      # only W = 0 has ties
    impl.svm_dW_transposed: ("svm", _ALL),
    impl.svm_mutates_X: ("svm", {"svm_properties"}),
    impl.svm_returns_loss_only: ("svm", _ALL),
    # softmax(scores)
    impl.softmax_no_shift: ("softmax_probabilities", {"softmax_probability_stability"}),
    impl.softmax_axis0: ("softmax_probabilities", _ALL),
    impl.softmax_mutates: ("softmax_probabilities", {"softmax_probability_properties"}),
    impl.softmax_no_normalization: ("softmax_probabilities", _ALL),
    # softmax_loss_*
    impl.softmax_loss_no_shift: ("softmax_loss", {"softmax_stability"}),
    impl.softmax_loss_log_eps: ("softmax_loss", {"softmax_stability"}),
    impl.softmax_loss_missing_minus_one: ("softmax_loss", {"softmax_gradient", "softmax_stability"}),
    impl.softmax_loss_not_divided: ("softmax_loss", _ALL),
    impl.softmax_loss_dW_not_divided: ("softmax_loss", {"softmax_gradient", "softmax_stability",
                                                        "softmax_properties"}),
    impl.softmax_loss_axis0: ("softmax_loss", _ALL),
    impl.softmax_loss_per_example: ("softmax_loss", _ALL),
    impl.softmax_loss_reg_grad_factor: ("softmax_loss", {"softmax_gradient", "softmax_properties"}),
    impl.softmax_loss_reg_missing_from_loss: ("softmax_loss", {"softmax_loss_value", "softmax_properties"}),
    impl.softmax_loss_mutates_W: ("softmax_loss", {"softmax_properties"}),
}


def _losing_checks(bug) -> set[str]:
    domain, losing = BUG_EFFECTS[bug]
    return set(DOMAINS[domain]) if losing is _ALL else set(losing)


# The table the coverage test reads: check name -> (correct implementations, bugs that lose points on it).
CHECK_TABLE = {
    check: (CORRECT[domain], [bug for bug in BUG_EFFECTS if check in _losing_checks(bug)])
    for domain, checks in DOMAINS.items() for check in checks
}

# -- the course's cells, read at collection so that a new cell gets its tests automatically ---------

_COURSE = load_course(COURSE_FILE, check_notebooks=False)
ALL_CELLS = [(gid, cell.check) for _, nb in _COURSE.notebooks() for t in nb.tasks.values()
             for gid, cell in t.tests.items()]
FUNCTION_CELLS = [(gid, check) for gid, check in ALL_CELLS if check in DOMAIN_OF]
FIRST_CELL_OF = {}
for _gid, _check in FUNCTION_CELLS:
    FIRST_CELL_OF.setdefault(_check, _gid)


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE_FILE, check_notebooks=False)


@functools.lru_cache(maxsize=None)
def _run(grade_id: str, fn):
    """run_check on the module's course; cached because checks are deterministic (tested below)."""
    return run_check(_COURSE, grade_id, fn)


def _name(fn) -> str:
    return getattr(fn, "__name__", repr(fn))


# -- coverage: every check in course.yaml can fail --------------------------------------------------

def test_table_names_only_registered_checks():
    assert set(CHECK_TABLE) <= set(CHECKS)
    assert set(DOMAIN_OF) == set(CHECK_TABLE)


# -- per cell: correct gets full marks, a bug loses points -------------------------------------------

@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_correct_implementations_get_full_marks(course, grade_id, check):
    points = course.test_cell(grade_id).points
    for fn in CHECK_TABLE[check][0]:
        outcome, printed, warned = _run(grade_id, fn)
        assert outcome.fraction == 1.0, f"{_name(fn)} on {grade_id}:\n{outcome.report()}"
        assert outcome.score == points
        assert outcome.results, "a check must check something"
        assert printed == "" and warned == [], f"{_name(fn)}: quiet code, yet captured {printed!r} {warned}"


@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_some_bug_loses_points(course, grade_id, check):
    bugs = CHECK_TABLE[check][1]
    assert bugs, f"no bug listed for {check}"
    points = course.test_cell(grade_id).points
    bug = bugs[0]
    outcome, _, _ = _run(grade_id, bug)
    assert outcome.fraction < 1.0 and outcome.score < points, f"{_name(bug)} got full marks on {grade_id}"


# -- per bug: loses exactly where it should -------------------------------------------------------

_BUG_CHECK_PAIRS = [(bug, check) for bug, (domain, _) in BUG_EFFECTS.items() for check in DOMAINS[domain]
                    if check in FIRST_CELL_OF]


@pytest.mark.parametrize("bug,check", _BUG_CHECK_PAIRS, ids=[f"{_name(b)}-{c}" for b, c in _BUG_CHECK_PAIRS])
def test_bug_loses_points_only_where_it_should(bug, check):
    outcome, _, _ = _run(FIRST_CELL_OF[check], bug)
    assert_bug_effect(outcome, _name(bug), check, loses=check in _losing_checks(bug))


def test_reg_gradient_factor_bug_is_scored_as_in_the_brief(course):
    """The lecture's example: `reg * W` loses on the gradient only, not on the loss or sanity."""
    bug = impl.svm_reg_grad_factor
    for suffix in ("naive", "vectorized"):
        g = _run(f"svm_loss_{suffix}-gradient", bug)[0]
        assert g.score < course.test_cell(f"svm_loss_{suffix}-gradient").points
        assert _run(f"svm_loss_{suffix}-loss", bug)[0].fraction == 1.0
        assert _run(f"svm_loss_{suffix}-sanity", bug)[0].fraction == 1.0
        # the no-regularization case still passes: partial credit, not zero
        assert 0 < g.fraction < 1


# -- feedback teaches -----------------------------------------------------------------------------

FEEDBACK = [
    ("svm_loss_naive-gradient", impl.svm_reg_grad_factor, "2 * reg * W"),
    ("svm_loss_naive-gradient", impl.svm_reg_missing_from_dW, "regularization gradient is missing"),
    ("svm_loss_naive-gradient", impl.svm_reg_grad_per_example, "once per example"),
    ("svm_loss_naive-gradient", impl.svm_dW_not_divided, "not divided by N"),
    ("svm_loss_naive-gradient", impl.svm_true_class_once, "number of positive margins"),
    ("svm_loss_naive-gradient", impl.svm_dW_transposed, "transposed"),
    ("svm_loss_naive-loss", impl.svm_loss_not_divided, "divide"),
    ("svm_loss_naive-loss", impl.svm_reg_missing_from_loss, "reg * np.sum(W * W)"),
    ("svm_loss_naive-sanity", impl.svm_counts_true_class, "j = y_i"),
    ("svm_loss_naive-sanity", impl.svm_returns_loss_only, "return loss, dW"),
    ("svm_loss_naive-properties", impl.svm_mutates_X, "in place"),
    ("multiclass_hinge_loss-lecture_example", impl.hinge_counts_true_class, "j = y_i"),
    ("multiclass_hinge_loss-lecture_example", impl.hinge_no_delta, "delta"),
    ("multiclass_hinge_loss-values", impl.hinge_no_max, "max(0, .)"),
    ("multiclass_hinge_loss-values", impl.hinge_returns_mean, "one per example"),
    ("softmax-stability", impl.softmax_no_shift, "subtract each row's maximum"),
    ("softmax-properties", impl.softmax_mutates, "scores -= scores.max"),
    ("softmax_loss_vectorized-stability", impl.softmax_loss_no_shift, "subtract each row's maximum"),
    ("softmax_loss_vectorized-stability", impl.softmax_loss_log_eps, "log(p + eps)"),
    ("softmax_loss_vectorized-gradient", impl.softmax_loss_missing_minus_one, "-1 at the true class"),
    ("softmax_loss_vectorized-gradient", impl.softmax_loss_reg_grad_factor, "2 * reg * W"),
    ("softmax_loss_vectorized-loss", impl.softmax_loss_per_example, "average the per-example losses"),
    ("softmax_loss_naive-sanity", impl.softmax_loss_not_divided, "divide"),
]


@pytest.mark.parametrize("grade_id,bug,cause", FEEDBACK, ids=[f"{g}-{_name(b)}" for g, b, _ in FEEDBACK])
def test_feedback_names_the_likely_cause(grade_id, bug, cause):
    outcome, _, _ = _run(grade_id, bug)
    assert_names_cause(outcome, cause)


@pytest.mark.parametrize("grade_id,bug", [
    ("svm_loss_naive-properties", impl.svm_mutates_X),
    ("svm_loss_vectorized-properties", impl.svm_dW_not_divided),
    ("softmax_loss_naive-properties", impl.softmax_loss_reg_grad_factor),
])
def test_property_failure_shows_smallest_counterexample(grade_id, bug):
    outcome, _, _ = _run(grade_id, bug)
    report = outcome.report()
    assert "smallest failing example:" in report, report
    lines = [line.strip() for line in report.splitlines()]
    for name in ("W = ", "X = ", "y = "):
        assert any(line.startswith(name) for line in lines), f"no `{name}` line:\n{report}"
    failed = [r for r in outcome.results if not r.passed]
    assert failed and all(r.counterexample for r in failed)


def test_hinge_property_failure_shows_scores():
    outcome, _, _ = _run("multiclass_hinge_loss-properties", impl.hinge_mutates_scores)
    report = outcome.report()
    assert "smallest failing example:" in report and "scores = " in report and "y = " in report, report


def test_values_in_feedback_are_the_right_numbers():
    """expected: shows the reference's value, got: the student's."""
    outcome, _, _ = _run("svm_loss_naive-sanity", impl.svm_loss_not_divided)
    first = outcome.results[0]
    assert not first.passed
    assert "9" in first.expected and first.got == "45"   # W = 0, C = 10, N = 5: 5 * (C - 1)


def test_softmax_axis0_bug_is_named():
    outcome, _, _ = _run("softmax-values", impl.softmax_axis0)
    assert outcome.fraction < 1.0
    assert_names_cause(outcome, "axis 0")


def test_hinge_tie_trick_loses_points():
    cells = [g for g, c in FUNCTION_CELLS if DOMAIN_OF[c] == "hinge"]
    outcomes = [_run(g, impl.hinge_tie_trick)[0] for g in cells]
    assert min(o.fraction for o in outcomes) < 1.0, "\n".join(o.report() for o in outcomes)


def _softmax_forgets_return(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    e / e.sum(axis=1, keepdims=True)          # noqa: B018  (the student forgot `return`)


def _softmax_true_class_only(scores):
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return (e / e.sum(axis=1, keepdims=True)).max(axis=1)      # (N,) instead of (N, C)


@pytest.mark.parametrize("fn", [_softmax_forgets_return, _softmax_true_class_only])
def test_softmax_wrong_shape_feedback_does_not_talk_about_W(fn):
    outcome, _, _ = run_check(_COURSE, "softmax-values", fn)
    assert outcome.fraction == 0.0
    assert "shape of W" not in outcome.report(), outcome.report()


# -- the stub ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_stub_gets_zero_and_is_called_a_stub(grade_id, check):
    outcome, _, _ = _run(grade_id, STUBS[DOMAIN_OF[check]])
    assert outcome.score == 0.0 and outcome.fraction == 0.0, outcome.report()
    assert "stub" in outcome.report()
    assert all("NotImplementedError" in r.got for r in outcome.results if not r.passed)


@pytest.mark.parametrize("grade_id,check", FUNCTION_CELLS, ids=[g for g, _ in FUNCTION_CELLS])
def test_no_answer_at_all_gets_zero(grade_id, check):
    """A cell whose name is bound to None (the answer cell was never run or defined something else)."""
    outcome, _, _ = _run(grade_id, None)
    assert outcome.score == 0.0, outcome.report()
    assert "to be a function" in outcome.report()


# -- determinism ------------------------------------------------------------------------------------

def _fresh(grade_id, fn):
    outcome, printed, warned = run_check(_COURSE, grade_id, fn)
    return outcome.score, outcome.report(), printed, warned


def test_same_check_twice_and_in_another_order_gives_identical_results():
    runs = [
        ("svm_loss_naive-properties", impl.svm_dW_not_divided),
        ("softmax_loss_vectorized-properties", impl.softmax_loss_reg_missing_from_loss),
        ("multiclass_hinge_loss-properties", impl.hinge_no_max),
        ("softmax-properties", impl.softmax_axis0),
        ("svm_loss_vectorized-gradient", impl.svm_true_class_once),
        ("softmax_loss_naive-stability", impl.softmax_loss_log_eps),
        ("multiclass_hinge_loss-values", impl.hinge_counts_true_class),
        ("softmax-values", impl.softmax_rowmax),
        ("svm_loss_naive-loss", impl.svm_naive),
    ]
    forward = [_fresh(g, f) for g, f in runs]
    backward = [_fresh(g, f) for g, f in reversed(runs)][::-1]
    assert forward == backward
    # and the same as when the other tests of this module ran them, in yet another order
    cached = [_run(g, f) for g, f in runs]
    assert forward == [(o.score, o.report(), p, w) for o, p, w in cached]


_IMPORT_SCRIPT = """
import sys
sys.path[:0] = [{tests!r}, {tmp!r}]
import numpy as np
from grader.course import load_course
from grader.outcome import CheckContext
from grader.checks.properties import each_holds_for_all, problem_examples

course = load_course({course!r}, check_notebooks=False)

def drawn():
    seen = []
    record = lambda a: seen.append((a["problem"].describe(), a["seed"], a["shift"]))
    each_holds_for_all(CheckContext(course.policy), problem_examples(), {{"record": record}})
    return seen

before, again = drawn(), drawn()
assert before == again          # same process, same modules: same examples
import student_helpers          # a local module with ordinary numeric literals (e.g. a course helper package)
after = drawn()
print(sum(a != b for a, b in zip(before, after)), len(before))
"""


def test_property_examples_do_not_depend_on_which_local_modules_are_imported(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "student_helpers.py").write_text(
        "LEARNING_RATES = [1e-7, 5e-5, 1e-3, 0.5, 1.5, 2.0, 1e-12, 3.0, 29.5, -29.5, 4.99, 0.25, 0.1, 1.999]\n"
        "REGS = [2.5e4, 5e4, 1.0, 0.0, 123, 7, 3, 4, 5, 2, 65536, -1, 99]\n")
    tests = str(Path(__file__).resolve().parent)
    script = _IMPORT_SCRIPT.format(tests=tests, tmp=str(tmp_path), course=COURSE_FILE)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=str(Path(COURSE_FILE).parent))
    assert done.returncode == 0, done.stderr
    changed, total = map(int, done.stdout.split())
    assert changed == 0, f"{changed} of {total} drawn examples changed after importing a local module"
