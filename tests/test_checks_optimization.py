"""The checks of optimization.ipynb (random search, gradient descent, minibatches, the linear classifier,
its subclasses, the tuned hyperparameters).

A check that cannot fail is a defect: for every autograded test cell of the notebook, correct answers
written in different ways get full marks, and realistic buggy ones, one mistake each, lose points
exactly on the checks that should catch that mistake, and nowhere else among their answer's checks.
"""

from __future__ import annotations

import functools
import pickle
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest
from check_assertions import assert_bug_effect

import implementations_optimization as impl
from grader import data as datasets
from grader.checks import CHECKS, get_check
from grader.checks.registry import get_basic_case
from grader.checks.hyperparameters import DIGITS_MIN_VAL_ACCURACY
from grader.checks.optimization import global_seed
from grader.course import Data, load_course
from grader.grading import run_check
from grader.outcome import CheckContext
from grader.reference import optimization as ref

REPO = Path(__file__).resolve().parents[1]
COURSE_FILE = REPO / "course.yaml"
NOTEBOOK = "optimization"

# -- what each answer is checked by, and the answers -------------------------------------------------

DOMAINS = {
    "random_search": ["random_search_best", "random_search_random"],
    "gradient_descent": ["gradient_descent_step", "gradient_descent_history"],
    "sample_minibatch": ["sample_minibatch_aligned", "sample_minibatch_random"],
    "LinearClassifier": ["linear_classifier_train_update", "linear_classifier_train_history",
                         "linear_classifier_train_minibatch", "linear_classifier_train_init",
                         "linear_classifier_predict"],
    "LinearSVM": ["linear_svm_loss"],
    "Softmax": ["softmax_classifier_loss"],
    "hyperparameters": ["tuned_hyperparameters"],
}
DOMAIN_OF = {check: domain for domain, checks in DOMAINS.items() for check in checks}

CORRECT = {
    "random_search": [impl.rs_solution, impl.rs_module_as_generator, impl.rs_normal, impl.rs_evaluates_twice],
    "gradient_descent": [impl.gd_solution, impl.gd_in_place_on_copy, impl.gd_while],
    "sample_minibatch": [impl.sm_solution, impl.sm_integers, impl.sm_without_replacement_when_possible, impl.sm_take],
    "LinearClassifier": [impl.LinearClassifier, impl.LCStandardNormal, impl.LCArrayHistory, impl.LCPermutation],
    "LinearSVM": [impl.LinearSVM, impl.LinearSVMKeywords],
    "Softmax": [impl.Softmax, impl.SoftmaxList],
    "hyperparameters": impl.GOOD_HYPERPARAMETERS,
}
STUBS = {"random_search": impl.stub, "gradient_descent": impl.stub, "sample_minibatch": impl.stub,
         "LinearClassifier": impl.LCStub, "LinearSVM": impl.SubclassStub, "Softmax": impl.SubclassStub,
         "hyperparameters": (None, None)}

_ALL = object()
# bug -> (its answer, the checks it must lose points on); full marks on the other checks of its answer.
BUG_EFFECTS = {
    # random_search
    impl.rs_returns_last: ("random_search", {"random_search_best"}),
    impl.rs_keeps_worst: ("random_search", {"random_search_best"}),
    impl.rs_last_loss: ("random_search", {"random_search_best"}),
    impl.rs_draws_once: ("random_search", {"random_search_random"}),
    impl.rs_ignores_rng: ("random_search", {"random_search_random"}),
    impl.rs_private_generator: ("random_search", {"random_search_random"}),
    # gradient_descent
    impl.gd_uphill: ("gradient_descent", _ALL),
    impl.gd_uses_loss: ("gradient_descent", _ALL),
    impl.gd_lr_ignored: ("gradient_descent", _ALL),
    impl.gd_modifies_W0: ("gradient_descent", {"gradient_descent_step"}),
    impl.gd_history_after_step: ("gradient_descent", {"gradient_descent_history"}),
    impl.gd_one_step_short: ("gradient_descent", {"gradient_descent_step"}),
    # sample_minibatch
    impl.sm_two_draws: ("sample_minibatch", _ALL),
    impl.sm_first_rows: ("sample_minibatch", _ALL),
    impl.sm_no_replacement: ("sample_minibatch", _ALL),
    impl.sm_ignores_rng: ("sample_minibatch", {"sample_minibatch_random"}),
    impl.sm_private_generator: ("sample_minibatch", {"sample_minibatch_random"}),
    impl.sm_shuffles_in_place: ("sample_minibatch", _ALL),
    # LinearClassifier
    impl.LCUphill: ("LinearClassifier", {"linear_classifier_train_update"}),
    impl.LCLearningRateIgnored: ("LinearClassifier", {"linear_classifier_train_update"}),
    impl.LCLearningRateSquared: ("LinearClassifier", {"linear_classifier_train_update"}),
    impl.LCRegDropped: ("LinearClassifier", {"linear_classifier_train_update"}),
    impl.LCAppendsTwice: ("LinearClassifier", {"linear_classifier_train_history"}),
    impl.LCAppendsGrad: ("LinearClassifier", {"linear_classifier_train_history"}),
    impl.LCTwoDraws: ("LinearClassifier", {"linear_classifier_train_minibatch"}),
    impl.LCFirstRows: ("LinearClassifier", {"linear_classifier_train_minibatch"}),
    impl.LCFullBatch: ("LinearClassifier", {"linear_classifier_train_minibatch"}),
    impl.LCPrivateGenerator: ("LinearClassifier", {"linear_classifier_train_minibatch"}),
    impl.LCNumClassesOffByOne: ("LinearClassifier", {"linear_classifier_train_init"}),
    impl.LCNumClassesUnique: ("LinearClassifier", {"linear_classifier_train_init"}),
    impl.LCZeroInit: ("LinearClassifier", {"linear_classifier_train_init"}),
    impl.LCUnitInit: ("LinearClassifier", {"linear_classifier_train_init"}),
    impl.LCAlwaysInit: ("LinearClassifier", {"linear_classifier_train_update", "linear_classifier_train_init"}),
    # self.W never changes: train does nothing, so none of its cells earns credit (predict keeps its points)
    impl.LCLocalUpdate: ("LinearClassifier", {"linear_classifier_train_update", "linear_classifier_train_history",
                                              "linear_classifier_train_minibatch", "linear_classifier_train_init"}),
    impl.LCPredictFloat: ("LinearClassifier", {"linear_classifier_predict"}),
    impl.LCPredictArgmin: ("LinearClassifier", {"linear_classifier_predict"}),
    impl.LCPredictScores: ("LinearClassifier", {"linear_classifier_predict"}),
    # subclasses
    impl.LinearSVMCallsSoftmax: ("LinearSVM", _ALL),
    impl.LinearSVMRegDropped: ("LinearSVM", _ALL),
    impl.SoftmaxCallsSVM: ("Softmax", _ALL),
    impl.SoftmaxLossOnly: ("Softmax", _ALL),
}
BUG_EFFECTS.update({hp: ("hyperparameters", _ALL) for hp in impl.BAD_HYPERPARAMETERS})


def _losing_checks(bug) -> set[str]:
    domain, losing = BUG_EFFECTS[bug]
    return set(DOMAINS[domain]) if losing is _ALL else set(losing)


# The table tests/check_tables.py merges: check name -> (correct answers, answers that must lose points).
CHECK_TABLE = {check: (CORRECT[domain], [bug for bug in BUG_EFFECTS if check in _losing_checks(bug)])
               for check, domain in DOMAIN_OF.items()}


def _name(answer) -> str:
    return getattr(answer, "__name__", repr(answer))


# -- the course's cells ----------------------------------------------------------------------------

_COURSE = load_course(COURSE_FILE, check_notebooks=False)
_NOTEBOOK = _COURSE.assignments["lecture3"].notebooks[NOTEBOOK]
# The cells whose checks the tables below list (every cell is covered by the corpus or a check table:
# tests/test_check_coverage.py).
USED_CHECKS = {cell.check for task in _NOTEBOOK.tasks.values() for cell in task.tests.values()}
CELLS = [(gid, cell.check) for task in _NOTEBOOK.tasks.values() for gid, cell in task.tests.items()
         if cell.check in DOMAIN_OF]
FIRST_CELL_OF = {}
for _gid, _check in CELLS:
    FIRST_CELL_OF.setdefault(_check, _gid)


@functools.lru_cache(maxsize=None)
def _run(grade_id: str, answer):
    """run_check on the course; cached because checks are deterministic (tested below)."""
    return run_check(_COURSE, grade_id, answer)


# -- coverage ----------------------------------------------------------------------------------------

def test_the_table_lists_only_checks_of_the_notebooks_cells():
    assert set(DOMAIN_OF) <= USED_CHECKS, f"table entries no cell uses: {sorted(set(DOMAIN_OF) - USED_CHECKS)}"
    assert set(DOMAIN_OF) <= set(CHECKS)
    for gid, check in CELLS:
        assert gid.split("-")[0] == DOMAIN_OF[check], f"{gid} runs {check}, a check of {DOMAIN_OF[check]}"


def test_every_check_has_correct_answers_and_a_bug_that_loses_points():
    for check, domain in DOMAIN_OF.items():
        assert len(CORRECT[domain]) >= 2, check
        assert [b for b in BUG_EFFECTS if check in _losing_checks(b)], f"no bug loses points on {check}"


def test_points_total():
    """course.yaml is the one place for points: the committed release carries exactly them (a points
    edit without `nbgrader generate_assignment --force`, or a release edited by hand, fails here)."""
    nb = nbformat.read(REPO / "assignments" / "lecture3" / f"{NOTEBOOK}.ipynb", as_version=4)
    released = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("grade")}
    assert released == _NOTEBOOK.graded_cells


# -- correct answers get full marks; stubs get zero --------------------------------------------------

@pytest.mark.parametrize("grade_id,check", CELLS, ids=[g for g, _ in CELLS])
def test_correct_answers_get_full_marks(grade_id, check):
    points = _COURSE.test_cell(grade_id).points
    for answer in CORRECT[DOMAIN_OF[check]]:
        outcome, printed, warned = _run(grade_id, answer)
        assert outcome.fraction == 1.0, f"{_name(answer)} on {grade_id}:\n{outcome.report()}"
        assert outcome.score == points and outcome.results
        assert outcome.basic is None or outcome.basic.passed
        assert printed == "" and warned == [], f"{_name(answer)}: quiet code, yet captured {printed!r} {warned}"


@pytest.mark.parametrize("grade_id,check", CELLS, ids=[g for g, _ in CELLS])
def test_stubs_get_zero(grade_id, check):
    outcome, _, _ = _run(grade_id, STUBS[DOMAIN_OF[check]])
    assert outcome.score == 0.0, outcome.report()


def test_a_name_that_is_not_an_answer_gets_zero_with_a_message():
    for grade_id, check in CELLS:
        if DOMAIN_OF[check] == "hyperparameters":
            continue
        outcome, _, _ = _run(grade_id, None)
        assert outcome.score == 0.0 and all(r.expected and r.got for r in outcome.results), outcome.report()


# -- answers that ignore their inputs earn nothing (DESIGN.md principle 10) ----------------------------

# The subclass losses have no basic case: their only criteria compare loss and dW with the reference,
# which a constant or zero loss cannot meet (the do-nothing answers below prove it).
UNGATED = {"linear_svm_loss", "softmax_classifier_loss"}


def test_every_other_check_has_a_basic_case():
    assert {check for check in DOMAIN_OF if get_basic_case(check) is None} == UNGATED


@pytest.mark.parametrize("grade_id,check", CELLS, ids=[g for g, _ in CELLS])
def test_answers_that_ignore_their_inputs_score_zero(grade_id, check):
    answers = impl.DO_NOTHING[DOMAIN_OF[check]]
    assert len(answers) >= 2
    for answer in answers:
        outcome, _, _ = _run(grade_id, answer)
        assert outcome.score == 0.0, f"{_name(answer)} on {grade_id}:\n{outcome.report()}"
        if check not in UNGATED:
            # the basic case fails, and says what it checked, expected and got
            assert outcome.gated and outcome.basic.expected and outcome.basic.got, outcome.report()
            assert "the basic case failed" in outcome.report()


@pytest.mark.parametrize("check", sorted(set(DOMAIN_OF) - UNGATED))
def test_basic_cases_pass_on_correct_answers_and_fail_on_do_nothing(check):
    basic = get_basic_case(check)
    ctx = CheckContext(_COURSE.policy, dict(_COURSE.test_cell(FIRST_CELL_OF[check]).params), _COURSE.data, _COURSE.root)
    for answer in CORRECT[DOMAIN_OF[check]]:
        result = basic.run(answer, ctx)
        assert result.passed, f"{_name(answer)}: {result.lines()}"
    for answer in impl.DO_NOTHING[DOMAIN_OF[check]]:
        result = basic.run(answer, ctx)
        assert not result.passed and result.expected and result.got, f"{_name(answer)}: {result.lines()}"


@pytest.mark.parametrize("domain,answer,cause", [
    ("random_search", impl.rs_zeros, "evaluate loss_fn(W) for every random W tried"),
    ("random_search", impl.rs_constant, "draw a new random W in every try"),
    ("random_search", impl.rs_one_random, "draw a new random W in every try"),
    ("gradient_descent", impl.gd_returns_W0, "W did not change"),
    ("gradient_descent", impl.gd_uses_loss, "instead of its gradient"),
    ("sample_minibatch", impl.sm_first_rows, "the batch is always the first batch_size rows"),
    ("sample_minibatch", impl.sm_last_rows, "draw random row indices on every call"),
    ("sample_minibatch", impl.sm_echo, "draw batch_size row indices"),
    ("LinearClassifier", impl.LCNoUpdateRandomLabels, "W did not change"),
    ("LinearClassifier", impl.LCLocalUpdate, "W did not change"),
    ("LinearClassifier", impl.LCConstant, "W did not change"),
    ("LinearClassifier", impl.LCDoesNothing, "the loss and its gradient come from self.loss"),
    ("hyperparameters", (1e-7, 2.5e4), "a learning rate this small barely moves W"),
    ("hyperparameters", (10.0, 100.0), "the training diverged"),
], ids=lambda v: _name(v) if callable(v) else str(v) if isinstance(v, tuple) else "")
def test_a_failed_basic_case_names_the_likely_cause(domain, answer, cause):
    for check in DOMAINS[domain]:
        if check == "linear_classifier_predict":  # predict's own basic case: below
            continue
        basic = _run(FIRST_CELL_OF[check], answer)[0].basic
        assert not basic.passed and cause in basic.cause, basic.lines()


@pytest.mark.parametrize("answer,cause", [
    (impl.LCDoesNothing, "np.argmax(X.dot(self.W), axis=1)"),
    (impl.LCPredictArgmin, "these are the lowest scores"),
], ids=lambda v: _name(v) if callable(v) else "")
def test_a_failed_predict_basic_case_names_the_likely_cause(answer, cause):
    basic = _run(FIRST_CELL_OF["linear_classifier_predict"], answer)[0].basic
    assert not basic.passed and cause in basic.cause, basic.lines()


def test_realistic_slips_pass_the_basic_case_and_keep_partial_credit():
    """A wrong step size or sign, a wrong pick of the tries, misaligned labels, sampling without
    replacement, a near-miss in tuning: each does its function's job on the basic case."""
    for bug, check in [(impl.rs_returns_last, "random_search_best"), (impl.rs_keeps_worst, "random_search_best"),
                       (impl.gd_uphill, "gradient_descent_step"), (impl.gd_lr_ignored, "gradient_descent_step"),
                       (impl.gd_modifies_W0, "gradient_descent_step"),
                       (impl.gd_one_step_short, "gradient_descent_step"),
                       (impl.sm_two_draws, "sample_minibatch_aligned"),
                       (impl.sm_no_replacement, "sample_minibatch_random"),
                       (impl.LCUphill, "linear_classifier_train_update"),
                       (impl.LCLearningRateSquared, "linear_classifier_train_update"),
                       (impl.LCTwoDraws, "linear_classifier_train_minibatch"),
                       (impl.LCZeroInit, "linear_classifier_train_init"),
                       (impl.LCPredictFloat, "linear_classifier_predict"),
                       ((1e-5, 1e-3), "tuned_hyperparameters"), ((1e-2, 10.0), "tuned_hyperparameters")]:
        outcome, _, _ = _run(FIRST_CELL_OF[check], bug)
        assert not outcome.gated and 0 < outcome.fraction < 1, f"{_name(bug)}:\n{outcome.report()}"


# -- each bug loses points where it should, and only there -------------------------------------------

_PAIRS = [(bug, check) for bug, (domain, _) in BUG_EFFECTS.items() for check in DOMAINS[domain]]


@pytest.mark.parametrize("bug,check", _PAIRS, ids=[f"{_name(b)}-{c}" for b, c in _PAIRS])
def test_bug_loses_points_only_where_it_should(bug, check):
    outcome, _, _ = _run(FIRST_CELL_OF[check], bug)
    assert_bug_effect(outcome, _name(bug), check, loses=check in _losing_checks(bug))


@pytest.mark.parametrize("bug,cause", [
    (impl.rs_returns_last, "the W of the last try came back"),
    (impl.rs_keeps_worst, "the worst try came back"),
    (impl.gd_uphill, "the step goes uphill"),
    (impl.gd_uses_loss, "instead of its gradient"),
    (impl.gd_modifies_W0, "work on a copy"),
    (impl.sm_two_draws, "two separate draws pair images with the wrong labels"),
    (impl.sm_first_rows, "the batch is always the first batch_size rows"),
    (impl.sm_no_replacement, "sample the indices with replacement"),
    (impl.LCUphill, "the step goes uphill"),
    (impl.LCLearningRateSquared, "the learning rate is applied twice"),
    (impl.LCAppendsTwice, "the loss is appended twice per iteration"),
    (impl.LCTwoDraws, "two separate draws pair images with the wrong labels"),
    (impl.LCFullBatch, "the whole training set is used"),
    (impl.LCNumClassesOffByOne, "num_classes = np.max(y) + 1"),
    (impl.LCPredictFloat, "do not convert them to float"),
    (impl.LCPredictArgmin, "these are the lowest scores"),
    (impl.LinearSVMCallsSoftmax, "this is the softmax loss: LinearSVM.loss must call svm_loss_vectorized"),
    (impl.SoftmaxCallsSVM, "this is the SVM loss: Softmax.loss must call softmax_loss_vectorized"),
    (impl.LinearSVMRegDropped, "reg is not passed on"),
], ids=lambda v: _name(v) if callable(v) else "")
def test_feedback_names_the_likely_cause(bug, cause):
    causes = []
    for check in _losing_checks(bug):
        outcome = _run(FIRST_CELL_OF[check], bug)[0]
        failed = [outcome.basic] if outcome.gated else [r for r in outcome.results if not r.passed]
        causes += [r.cause for r in failed]
    assert any(cause in c for c in causes), causes


# -- determinism and the student's random state ------------------------------------------------------

def _state_equal(a, b) -> bool:
    return all(np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y for x, y in zip(a, b))


@pytest.mark.parametrize("domain,answer", [("random_search", impl.rs_ignores_rng),
                                           ("sample_minibatch", impl.sm_ignores_rng),
                                           ("LinearClassifier", impl.LinearClassifier),
                                           ("LinearClassifier", impl.LCTwoDraws)],
                         ids=lambda v: _name(v) if not isinstance(v, str) else v)
def test_grading_is_deterministic_and_leaves_np_random_as_it_was(domain, answer):
    for check in DOMAINS[domain]:
        np.random.seed(12345)
        before = np.random.get_state()
        first, _, _ = run_check(_COURSE, FIRST_CELL_OF[check], answer)
        assert _state_equal(before, np.random.get_state()), f"{check} changed np.random's state"
        np.random.seed(999)  # another kernel state: the grade must not depend on it
        second, _, _ = run_check(_COURSE, FIRST_CELL_OF[check], answer)
        assert [(r.passed, r.got) for r in first.results] == [(r.passed, r.got) for r in second.results]
        assert ((first.basic and (first.basic.passed, first.basic.got))
                == (second.basic and (second.basic.passed, second.basic.got)))


def test_global_seed_restores_the_state():
    np.random.seed(3)
    before = np.random.get_state()
    with global_seed(7):
        a = np.random.rand()
    with global_seed(7):
        assert np.random.rand() == a
    assert _state_equal(before, np.random.get_state())


# -- the hyperparameters: calibration and cost ---------------------------------------------------------

NOTEBOOK_GRID = ([1e-5, 1e-4, 1e-3, 1e-2], [1e-3, 1e-1, 1.0, 10.0])


def test_tuning_calibration_matches_course_yaml():
    """course.yaml states the reference's own tuned validation accuracy and a threshold a few points below."""
    params = _COURSE.test_cell("hyperparameters-validation").params
    digits = datasets.digits()
    results = {(lr, reg): ref.validation_accuracy(digits, lr, reg)
               for lr in NOTEBOOK_GRID[0] for reg in NOTEBOOK_GRID[1]}
    best = max(results, key=lambda k: results[k][0])
    assert abs(results[best][0] - params["reference_val_accuracy"]) < 0.005, (best, results[best])
    assert 0.01 <= params["reference_val_accuracy"] - params["min_val_accuracy"] <= 0.05
    assert params["min_val_accuracy"] == DIGITS_MIN_VAL_ACCURACY
    passing = {k for k, (val, _) in results.items() if val >= params["min_val_accuracy"]}
    assert best in passing and len(passing) < len(results), "the threshold must separate good from bad choices"


def test_reference_training_is_fast_and_deterministic():
    digits = datasets.digits()
    ref.validation_accuracy(digits, 1e-2, 1e-3)
    start = time.process_time()
    first = ref.validation_accuracy(digits, 1e-2, 1e-3)
    assert time.process_time() - start <= 0.3
    assert ref.validation_accuracy(digits, 1e-2, 1e-3) == first


def test_the_solution_notebooks_hyperparameters_pass():
    import nbformat

    from grader.submissions import solution_answers

    answers = solution_answers(REPO / "solutions" / "lecture3" / f"{NOTEBOOK}.ipynb")
    namespace: dict = {}
    exec(answers["hyperparameters"], namespace)
    outcome, _, _ = run_check(_COURSE, "hyperparameters-validation",
                              (namespace["best_learning_rate"], namespace["best_reg"]))
    assert outcome.fraction == 1.0, outcome.report()
    nb = nbformat.read(REPO / "solutions" / "lecture3" / f"{NOTEBOOK}.ipynb", as_version=4)
    tuning = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "tuning")
    grid: dict = {}
    exec("\n".join(line for line in tuning.splitlines() if line.startswith(("learning_rates", "regularization"))), grid)
    assert (grid["learning_rates"], grid["regularization_strengths"]) == NOTEBOOK_GRID, "the calibration's grid"


def _write_cifar(folder: Path, per_batch: int = 30) -> None:
    rng = np.random.default_rng(0)
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {b"data": rng.integers(0, 256, size=(per_batch, 3072), dtype=np.uint8),
                 b"labels": list(rng.integers(0, 10, size=per_batch))}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f)


def test_tuning_check_uses_cifar10_when_course_yaml_names_a_folder(tmp_path):
    (tmp_path / "cifar").mkdir()
    _write_cifar(tmp_path / "cifar")
    check = get_check("tuned_hyperparameters")

    def run(params, folder="cifar"):
        ctx = CheckContext(_COURSE.policy, params, Data(cifar10_dir=folder), tmp_path)
        return list(check((1e-7, 1.0), ctx))

    sizes = {"cifar10_num_train": 100, "cifar10_num_val": 40, "cifar10_num_test": 20}
    assert all(r.passed for r in run({**sizes, "cifar10_min_val_accuracy": 0.0}))
    failed = [r for r in run({**sizes, "cifar10_min_val_accuracy": 1.01}) if not r.passed]
    assert failed and "CIFAR-10" in failed[0].expected
    missing = [r for r in run(sizes, folder="nowhere") if not r.passed]
    assert missing and "configuration" in missing[0].cause


# -- the pasted losses are graded in losses.ipynb, not here ------------------------------------------

_BROKEN_PASTED_LOSSES = '''
import numpy as np

def svm_loss_vectorized(W, X, y, reg):          # wrong on purpose: no regularization, no mean
    return 123.0, np.zeros_like(W)

def softmax_loss_vectorized(W, X, y, reg):
    raise NotImplementedError()

class LinearClassifier:
    W = None

class LinearSVM(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return svm_loss_vectorized(self.W, X_batch, y_batch, reg)

class Softmax(LinearClassifier):
    def loss(self, X_batch, y_batch, reg):
        return softmax_loss_vectorized(self.W, X_batch, y_batch, reg)
'''


@pytest.mark.parametrize("grade_id, cls", [("LinearSVM-loss", "LinearSVM"), ("Softmax-loss", "Softmax")])
def test_subclass_loss_keeps_full_marks_when_the_pasted_loss_is_wrong(grade_id, cls):
    namespace: dict = {}
    exec(_BROKEN_PASTED_LOSSES, namespace)  # as a notebook would: one module namespace
    outcome, _, _ = run_check(_COURSE, grade_id, namespace[cls])
    assert outcome.fraction == 1.0, outcome.report()
    # and the student's names are back afterwards
    assert namespace["svm_loss_vectorized"](np.zeros((2, 2)), None, None, 0)[0] == 123.0


@pytest.mark.parametrize("grade_id, cls, function", [("LinearSVM-loss", "LinearSVM", "svm_loss_naive"),
                                                     ("Softmax-loss", "Softmax", "softmax_loss_naive")])
def test_subclass_loss_calling_a_pasted_naive_loss_is_graded_on_the_class_alone(grade_id, cls, function):
    namespace: dict = {}
    exec(_BROKEN_PASTED_LOSSES.replace("_vectorized(self.W", "_naive(self.W")
         + f"\ndef {function}(W, X, y, reg):\n    return 7.0, np.zeros_like(W)\n", namespace)
    outcome, _, _ = run_check(_COURSE, grade_id, namespace[cls])
    assert outcome.fraction == 1.0, outcome.report()
    assert namespace[function](np.zeros((2, 2)), None, None, 0)[0] == 7.0
