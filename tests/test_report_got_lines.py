"""Every failed criterion's "got" line shows what came back, measured, never "a different ...": the
structured outcomes carry it to the report, the exports and the feedback page."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.course import load_course
from grader.grading import run_check
from grader.reference import losses as ref
from grader.reference import optimization as ref_opt

COURSE = load_course(Path(__file__).resolve().parents[1] / "course.yaml", check_notebooks=False)


def _failed(grade_id: str, answer, checked_part: str):
    outcome, _, _ = run_check(COURSE, grade_id, answer)
    assert not outcome.gated, outcome.report()
    failed = [r for r in outcome.results if not r.passed and checked_part in r.checked]
    assert failed, outcome.report()
    return failed[0]


def svm_reg_gradient_once(W, X, y, reg):
    """The commonest slip: dW += reg * W (the derivative of reg * sum(W * W) is 2 * reg * W)."""
    loss, dW = ref.svm_loss(W, X, y, reg)
    return loss, dW - reg * W


def svm_dw_summed(W, X, y, reg):
    """dW summed over the examples, not averaged (the loss is right)."""
    loss, dW = ref.svm_loss(W, X, y, reg)
    return loss, (dW - 2 * reg * W) * X.shape[0] + 2 * reg * W


@pytest.mark.parametrize("answer, factor", [(svm_reg_gradient_once, "1 * reg * W"),
                                            (lambda W, X, y, reg: (ref.svm_loss(W, X, y, reg)[0],
                                                                   ref.svm_loss(W, X, y, 0.0)[1]), "0 * reg * W")])
def test_the_regularization_gradient_difference_is_measured(answer, factor):
    result = _failed("svm_loss_vectorized-properties", answer, "the gradients differ by 2 * reg * W")
    assert "a different" not in result.got
    assert f"dW(W, reg) - dW(W, 0) = {factor} at best fit" in result.got
    assert "largest entry of dW(W, reg) - dW(W, 0) - 2 * reg * W: " in result.got


def test_a_summed_gradient_shows_its_factor():
    result = _failed("svm_loss_vectorized-properties", svm_dw_summed, "twice over")
    assert result.got.startswith("dW on the data set twice over = 2 x dW"), result.got


def test_gradient_descent_that_stops_early_shows_its_distance():
    def one_step_short(loss_fn, W0, learning_rate, num_iters):
        return ref_opt.gradient_descent(loss_fn, W0, learning_rate, max(num_iters - 1, 1))

    result = _failed("gradient_descent-step", one_step_short, "five iterations")
    assert result.got.startswith("a W at relative distance ") and "largest entry of the difference" in result.got


def test_distance_names_a_wrong_shape_and_non_finite_values():
    from grader.checks.optimization import distance_from

    assert distance_from(np.zeros((2, 3)), np.zeros((3, 2)), "W") == "a W of shape (2, 3) instead of (3, 2)"
    assert distance_from(np.array([np.nan, 1.0]), np.zeros(2), "W") == "a W with non-finite entries"
