"""The checks of the lecture's questions (numbers, pairs of numbers and choices), every notebook's.

Every question cell of course.yaml: its right answer, written several ways, gets full marks; wrong
answers (a wrong number, a wrong letter, None, a wrong type, a tuple of the wrong length) lose them.
The gradients and regularization notebooks keep their questions' answers beside their other checks'
tables; this module runs them all through the one rule of questions.py.
"""

from __future__ import annotations

import math

from pathlib import Path

import numpy as np
import pytest

from grader.checks import CHECKS
import test_checks_gradients
import test_checks_regularization
from grader.checks.questions import QUESTIONS, Numbers
from grader.course import load_course
from grader.grading import run_check

COURSE_FILE = str(Path(__file__).resolve().parents[1] / "course.yaml")

# check name -> (correct answers, wrong answers); each wrong answer must lose points.
QUESTION_TABLE = {
    "svm_q1": ([0.0, 0, np.float64(0.0), 1e-12],
               [0.5, 1.1, 2.9, -0.5, None, "zero", [0.0], (0.0,)]),
    "svm_q2": ([(0.0, np.inf), [0, float("inf")], (np.float64(0.0), math.inf)],
               [(0.0, 1.0), (np.inf, 0.0), (0.0, -np.inf), (0.0,), (0.0, np.inf, 1.0), None, (None, None),
                0.0, "0, inf", (0.0, 1e300)]),
    "svm_q3": ([9, 9.0, np.int64(9), 9.0000001],
               [10, 1, 0, 8, None, "nine", [9], -9]),
    "svm_q4": ([10, 10.0, np.float32(10.0)],
               [9, 11, 1, None, "ten", (10, 10)]),
    "svm_q5": (["A", "a", " A "], ["B", "C", "D", "E", "AB", None, 1, ("A",)]),
    "svm_q6": (["B", "b", "B\n"], ["A", "C", "", None, 2.0]),
    "svm_q7": (["B", "b"], ["A", "C", None, True]),
    "softmax_q1": ([(0.0, np.inf), [0, math.inf]],
                   [(0.0, 1.0), (-np.inf, np.inf), (np.inf, 0.0), (0.0, np.log(10)), (0.0,), None, 0.0,
                    (None, np.inf)]),
    "softmax_q2": ([np.log(10), math.log(10), 2.302585, 2.3026],
                   [10, 1.0, 0.1, -np.log(10), np.log(9), None, "log(10)", [np.log(10)]]),
    "svm_vs_softmax": (["B", "b"], ["A", "C", "D", None, "SVM", 0]),
    **test_checks_gradients.QUESTION_TABLE,
    **test_checks_regularization.QUESTIONS,
}

# Why a wrong answer is wrong: the feedback must say so.
WHY = [
    ("svm_q1", 0.5, "still beats"),
    ("svm_q3", 10, "C - 1"),
    ("svm_q4", 9, "j = y_i"),
    ("svm_q5", "B", "does not move its minimum"),
    ("svm_q7", "A", "2W"),
    ("softmax_q2", 1.0, "log C"),
    ("svm_vs_softmax", "A", "probability on the true class"),
    ("svm_q2", (0.0, 1.0), "arbitrarily large"),
    ("softmax_q1", (0.0, 1.0), "infinity"),
]

_COURSE = load_course(COURSE_FILE, check_notebooks=False)
QUESTION_CELLS = [(gid, cell.check) for _, nb in _COURSE.notebooks() for t in nb.tasks.values()
                  for gid, cell in t.tests.items() if cell.check in QUESTIONS]
TABLE_CELLS = [(gid, check) for gid, check in QUESTION_CELLS if check in QUESTION_TABLE]


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE_FILE, check_notebooks=False)


def test_table_lists_only_question_checks():
    """The table tests the questions it lists; every question is covered by its own row of
    questions.QUESTIONS (tests/test_check_coverage.py)."""
    assert set(QUESTION_TABLE) <= set(QUESTIONS)
    assert set(QUESTION_TABLE) <= set(CHECKS)
    for name, (right, wrong) in QUESTION_TABLE.items():
        assert len(right) >= 2 and wrong, name


def test_every_question_check_is_used_by_a_cell():
    assert {check for _, check in QUESTION_CELLS} == set(QUESTIONS)


@pytest.mark.parametrize("grade_id,check", TABLE_CELLS, ids=[g for g, _ in TABLE_CELLS])
def test_right_answers_get_full_marks(course, grade_id, check):
    points = course.test_cell(grade_id).points
    for answer in QUESTION_TABLE[check][0]:
        outcome, printed, warned = run_check(course, grade_id, answer)
        assert outcome.fraction == 1.0, f"{answer!r}:\n{outcome.report()}"
        assert outcome.score == points
        assert printed == "" and warned == []


@pytest.mark.parametrize("grade_id,check", TABLE_CELLS, ids=[g for g, _ in TABLE_CELLS])
def test_wrong_answers_lose_points(course, grade_id, check):
    points = course.test_cell(grade_id).points
    for answer in QUESTION_TABLE[check][1]:
        outcome, _, _ = run_check(course, grade_id, answer)
        assert outcome.score < points, f"{answer!r} got full marks on {grade_id}"
        report = outcome.report()
        assert "FAIL" in report and "expected:" in report and "got:" in report, report


@pytest.mark.parametrize("grade_id,check", QUESTION_CELLS, ids=[g for g, _ in QUESTION_CELLS])
def test_unanswered_question_gets_zero(course, grade_id, check):
    """The release's answer cells leave every answer None."""
    spec = QUESTIONS[check]
    answer = tuple(None for _ in spec) if isinstance(spec, Numbers) else None
    outcome, _, _ = run_check(course, grade_id, answer)
    assert outcome.score == 0.0
    report = outcome.report()
    assert "not answered" in report or "one letter" in report, report


@pytest.mark.parametrize("check,answer,why", WHY, ids=[f"{c}-{a!r}" for c, a, _ in WHY])
def test_wrong_answer_feedback_explains(course, check, answer, why):
    grade_id = next(g for g, c in QUESTION_CELLS if c == check)
    outcome, _, _ = run_check(course, grade_id, answer)
    assert outcome.fraction < 1.0
    assert "likely cause: " in outcome.report() and why in outcome.report(), outcome.report()


def test_pair_questions_give_half_credit_for_one_right_half(course):
    outcome, _, _ = run_check(course, "svm_questions-q2", (0.0, 1.0))
    assert outcome.fraction == 0.5
    outcome, _, _ = run_check(course, "softmax_questions-q1", (1.0, np.inf))
    assert outcome.fraction == 0.5


def test_pair_of_wrong_length_gets_nothing(course):
    for answer in [(0.0,), (0.0, np.inf, np.inf), "ab", 0.0]:
        outcome, _, _ = run_check(course, "svm_questions-q2", answer)
        assert outcome.score == 0.0, answer
        assert "2 answers" in outcome.report()


def test_question_scores_are_plain_floats(course):
    outcome, _, _ = run_check(course, "svm_questions-q3", 9)
    assert type(outcome.score) is float and repr(outcome.score) == "1.0"


# -- the one rule: what counts as a number, and as a choice --------------------------------------------

NUMBER_CELLS = [(gid, c) for gid, c in QUESTION_CELLS if type(QUESTIONS[c]).__name__ == "Number"]


@pytest.mark.parametrize("answer", [True, False, np.True_, "9", "0", b"9", [9], np.array([9.0])],
                         ids=repr)
@pytest.mark.parametrize("grade_id,check", NUMBER_CELLS, ids=[g for g, _ in NUMBER_CELLS])
def test_a_bool_a_string_or_a_sequence_is_not_a_number(course, grade_id, check, answer):
    outcome, _, _ = run_check(course, grade_id, answer)
    assert outcome.score == 0.0
    assert "a number for" in outcome.report() and "answer with one number" in outcome.report()


@pytest.mark.parametrize("answer", [(True, 1.0), ("1", "1"), (np.True_, 1)], ids=repr)
def test_the_parts_of_a_pair_follow_the_same_number_rule(course, answer):
    outcome, _, _ = run_check(course, "regularization_questions-l1_penalties", answer)
    assert outcome.score < course.test_cell("regularization_questions-l1_penalties").points
    assert "answer with one number" in outcome.report(), outcome.report()


def test_a_choice_is_one_of_its_options_whatever_the_case_and_spaces(course):
    for grade_id, answer, points in [("svm_questions-q5", " a\n", 1.0), ("svm_questions-q5", "E", 0.0),
                                     ("regularization_questions-l2_prefers", " W2 ", 1.0),
                                     ("regularization_questions-l2_prefers", "A", 0.0),
                                     ("regularization_questions-sparsity", "C", 0.0)]:
        outcome, _, _ = run_check(course, grade_id, answer)
        assert outcome.score == points, (grade_id, answer, outcome.report())
