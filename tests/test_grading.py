"""grader/grading.py: `run_check` and `grade`, what a hidden test cell calls.

nbgrader scores a test cell with any stderr output as zero and parses the repr of the cell's last
expression as its score: whatever the student's code prints or warns must be captured, nothing may
reach stderr (file descriptor included), and `grade` must return a plain float.
"""

from __future__ import annotations

import inspect
import os
import re
import warnings

from pathlib import Path

import numpy as np
import pytest

import implementations as impl
from grader import grade as package_grade
from grader.checks import CHECKS
from check_tables import all_check_tables
from grader.course import load_course, parse_course
from grader.grading import MAX_CAPTURED, feedback_text, find_course_file, grade, run_check
from grader.outcome import Outcome, Result

COURSE_FILE = str(Path(__file__).resolve().parents[1] / "course.yaml")

_TABLES = all_check_tables()


def _correct_for(check):
    return _TABLES[check][0][0]


_COURSE = load_course(COURSE_FILE, check_notebooks=False)
# the first cell of every check whose answer is a plain function (not a value, not a class)
_FIRST_CELL = {}
for _, _nb in _COURSE.notebooks():
    for _task in _nb.tasks.values():
        for _gid, _cell in _task.tests.items():
            if _cell.check in _TABLES and inspect.isfunction(_correct_for(_cell.check)):
                _FIRST_CELL.setdefault(_cell.check, _gid)
# The checks that read the answer's code (is it vectorized?) are left out: the noisy wrapper's own
# list comprehension is a loop they rightly find.
_FUNCTION_CELLS = [(gid, check) for check, gid in _FIRST_CELL.items() if not check.endswith("_vectorized")]


@pytest.fixture(scope="module")
def course():
    return load_course(COURSE_FILE, check_notebooks=False)


@pytest.fixture
def course_env(monkeypatch):
    monkeypatch.setenv("GRADER_COURSE_FILE", COURSE_FILE)


# -- run_check captures the student's noise -------------------------------------------------------

@pytest.mark.parametrize("grade_id,check", _FUNCTION_CELLS, ids=[g for g, _ in _FUNCTION_CELLS])
def test_noisy_correct_implementation_gets_full_marks(course, grade_id, check, capfd):
    fn = impl.noisy(_correct_for(check))
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        outcome, printed, messages = run_check(course, grade_id, fn)
    assert outcome.fraction == 1.0, outcome.report()
    assert outcome.score == course.test_cell(grade_id).points
    assert "debug: shapes" in printed and "debug on stderr" in printed
    assert "UserWarning: a student's own warning" in messages
    assert messages == sorted(set(messages))
    assert escaped == [], [str(w.message) for w in escaped]
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_numpy_runtime_warning_is_captured_not_raised(course):
    fn = impl.noisy(impl.hinge_loops)
    outcome, _, messages = run_check(course, "multiclass_hinge_loss-values", fn)
    assert outcome.fraction == 1.0
    assert any(m.startswith("RuntimeWarning: divide by zero") for m in messages), messages


def test_numpy_errstate_raise_in_the_notebook_does_not_break_grading(course):
    """A student who ran np.seterr(all='raise') earlier still gets the noisy-but-correct answer graded."""
    old = np.seterr(all="raise")
    try:
        outcome, _, messages = run_check(course, "svm_loss_naive-loss", impl.noisy(impl.svm_naive))
    finally:
        np.seterr(**old)
    assert outcome.fraction == 1.0, outcome.report()


# -- grade(): stdout only, a plain float ----------------------------------------------------------

GRADE_CASES = [
    ("svm_loss_vectorized-properties", impl.noisy(impl.svm_vectorized), 2.0),
    ("softmax_loss_naive-stability", impl.noisy(impl.softmax_loss_naive), 2.0),
    ("softmax-stability", impl.noisy(impl.softmax_logaddexp), 1.0),
    ("multiclass_hinge_loss-values", impl.noisy(impl.hinge_mask), 1.0),
    ("svm_questions-q2", (0.0, np.inf), 1.0),
    ("softmax_questions-q2", np.log(10), 1.0),
]


@pytest.mark.parametrize("grade_id,answer,points", GRADE_CASES, ids=[g for g, _, _ in GRADE_CASES])
def test_grade_prints_report_to_stdout_only_and_returns_a_float(course_env, capfd, grade_id, answer, points):
    score = grade(grade_id, answer)
    out, err = capfd.readouterr()
    assert err == ""
    assert type(score) is float and score == points
    assert float(repr(score)) == score
    assert out.startswith(f"{grade_id}: {points:g} / {points:g} points")
    if callable(answer):
        assert "Your code printed (captured, not an error):" in out and "debug on stderr" in out
        assert "Warnings raised while checking your code (captured):" in out
        assert "a student's own warning" in out


def test_grade_of_a_buggy_noisy_answer_is_a_partial_float(course_env, capfd):
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        score = package_grade("svm_loss_naive-gradient", impl.noisy(impl.svm_reg_grad_factor))
    out, err = capfd.readouterr()
    assert err == "" and escaped == []
    assert type(score) is float and 0 < score < 3
    assert "FAIL" in out and "2 * reg * W" in out


def test_grade_of_the_stub_is_zero_and_quiet(course_env, capfd):
    score = grade("softmax_loss_vectorized-properties", impl.stub4)
    out, err = capfd.readouterr()
    assert err == "" and type(score) is float and score == 0.0
    assert "stub" in out


def test_writes_to_the_stderr_file_descriptor_are_captured(course_env, capfd):
    """C code (and os.write(2, ...)) bypasses sys.stderr; the cell's stderr must still stay empty."""
    def fd_writer(W, X, y, reg):
        os.write(2, b"written to fd 2\n")
        return impl.svm_vectorized(W, X, y, reg)

    outcome, printed, _ = run_check(_COURSE, "svm_loss_vectorized-loss", fd_writer)
    assert outcome.fraction == 1.0 and "written to fd 2" in printed
    score = grade("svm_loss_vectorized-sanity", fd_writer)
    out, err = capfd.readouterr()
    assert err == "" and type(score) is float and score == 1.0
    assert "written to fd 2" in out


def test_long_output_is_cut(course_env, capfd):
    def chatty(scores, y):
        print("x" * 5000)
        return impl.hinge_vectorized(scores, y)

    assert grade("multiclass_hinge_loss-lecture_example", chatty) == 2.0
    out, err = capfd.readouterr()
    assert err == ""
    assert "[... cut]" in out and out.count("x") < MAX_CAPTURED + 200


def test_quiet_answer_gets_no_notes(course_env, capfd):
    grade("softmax-values", impl.softmax_rowmax)
    out, _ = capfd.readouterr()
    assert "printed" not in out and "Warnings" not in out
    assert re.fullmatch(r"softmax-values: 1 / 1 points \((\d+) of \1 checks passed\)", out.strip().splitlines()[0])


# -- run_check never lets a defect of a check escape ----------------------------------------------

def test_a_check_that_raises_is_reported_as_a_grader_defect(monkeypatch, tmp_path):
    def broken(answer, ctx):
        yield Result("first criterion", True)
        raise RuntimeError("boom")

    monkeypatch.setitem(CHECKS, "broken_for_test", broken)
    text = ("course_id: t\nassignments:\n  a:\n    notebooks:\n      nb:\n        tasks:\n          task:\n"
            "            tests:\n              task-x: {points: 2, check: broken_for_test}\n")
    course = parse_course(text, tmp_path / "course.yaml", known_checks=lambda name: name in CHECKS)
    outcome, _, _ = run_check(course, "task-x", object())
    assert [r.passed for r in outcome.results] == [True, False]
    assert "grader defect" in outcome.report() and "RuntimeError: boom" in outcome.report()
    assert outcome.score == 1.0


# -- Outcome ----------------------------------------------------------------------------------------

def test_outcome_scoring_and_report():
    o = Outcome("t-x", 3)
    assert o.fraction == 0.0 and o.score == 0.0
    o.results += [Result("a", True, 2.0), Result("b", False, 1.0, "1", "2", "because", "W = 1")]
    assert o.fraction == pytest.approx(2 / 3)
    assert o.score == 2.0 and type(o.score) is float
    lines = o.report().splitlines()
    assert lines[0] == "t-x: 2 / 3 points (1 of 2 checks passed)"
    assert "  PASS  a" in lines and "  FAIL  b" in lines
    assert any("expected: 1" in line for line in lines) and any("got:      2" in line for line in lines)
    assert any("smallest failing example:" in line for line in lines)
    assert any(line.strip() == "W = 1" for line in lines)
    assert lines[-1].strip() == "likely cause: because"
    o2 = Outcome("t-y", 1, [Result("a", True), Result("b", True), Result("c", False)])
    assert o2.score == 0.667 and repr(o2.score) == "0.667"


# -- finding course.yaml ------------------------------------------------------------------------

def test_find_course_file(monkeypatch, tmp_path):
    monkeypatch.setenv("GRADER_COURSE_FILE", COURSE_FILE)
    assert str(find_course_file()) == COURSE_FILE
    monkeypatch.delenv("GRADER_COURSE_FILE")
    (tmp_path / "course.yaml").write_text("course_id: x\n")
    deep = tmp_path / "autograded" / "alice" / "lecture3"
    deep.mkdir(parents=True)
    assert find_course_file(deep) == (tmp_path / "course.yaml").resolve()


# -- only the student's own prints and warnings reach the feedback ---------------------------------

GRADER_DIR = Path(__file__).resolve().parents[1] / "grader"
# Code that runs as the grader's own (its frames carry a file name inside grader/): it warns, leaves a
# TemporaryDirectory to the garbage collector, and calls numpy in a way numpy warns about.
GRADER_NOISE = compile('''
import tempfile, warnings
import numpy as np

def grader_noise():
    warnings.warn("an internal deprecation of the grader", DeprecationWarning)
    np.log(np.zeros(1))                         # numpy warns, on the grader's behalf
    tempfile.TemporaryDirectory(prefix="kernel-home-")   # dropped: "Implicitly cleaning up ..."
''', str(GRADER_DIR / "checks" / "noise_for_test.py"), "exec")


def _noisy_check_course(monkeypatch, tmp_path, check_name, check):
    monkeypatch.setitem(CHECKS, check_name, check)
    text = ("course_id: t\nassignments:\n  a:\n    notebooks:\n      nb:\n        tasks:\n          task:\n"
            f"            tests:\n              task-x: {{points: 1, check: {check_name}}}\n")
    return parse_course(text, tmp_path / "course.yaml", known_checks=lambda name: name in CHECKS)


def test_grader_internal_warnings_never_reach_the_feedback_the_students_own_do(monkeypatch, tmp_path):
    namespace = {}
    exec(GRADER_NOISE, namespace)  # noqa: S102 - the test's own code
    garbage = []

    def check(answer, ctx):
        namespace["grader_noise"]()
        cycle = {"dir": __import__("tempfile").TemporaryDirectory(prefix="worker-")}
        cycle["self"] = cycle      # collected by the cycle collector, at whatever moment it runs
        garbage.append(cycle)
        yield ctx.run("the answer runs", lambda: answer(garbage))

    def student_answer(garbage):
        print("the student's own print")
        warnings.warn("the student's own warning", stacklevel=1)
        np.mean(np.array([]))     # numpy warns, on the student's behalf
        garbage.clear()
        import gc
        gc.collect()              # the grader's TemporaryDirectory is finalized under the student's frame

    course = _noisy_check_course(monkeypatch, tmp_path, "noisy_for_test", check)
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        outcome, printed, messages = run_check(course, "task-x", student_answer)
    assert escaped == [], [str(w.message) for w in escaped]
    # numpy's two warnings about the student's empty mean are the student's: numpy was looked through.
    assert {"RuntimeWarning: Mean of empty slice", "UserWarning: the student's own warning"} <= set(messages)
    assert all(m.startswith(("RuntimeWarning", "UserWarning")) for m in messages), messages
    text = feedback_text(outcome, printed, messages)
    assert "the student's own print" in text and "the student's own warning" in text
    for internal in ("ResourceWarning", "Implicitly cleaning up", "kernel-home-", "worker-", "DeprecationWarning",
                     "internal deprecation", "divide by zero", "/tmp"):
        assert internal not in text, (internal, text)


def test_grading_the_same_answer_twice_gives_the_same_feedback_word_for_word(course_env):
    def answer(W, X, y, reg):
        print("scores of", object())          # an address, different on every run
        print("data at", {"X": X.shape})
        warnings.warn(f"checking {type(W).__name__}", stacklevel=1)
        return impl.svm_reg_grad_factor(W, X, y, reg)

    texts = []
    for _ in range(2):
        for grade_id in ("svm_loss_naive-gradient", "svm_loss_naive-properties"):
            outcome, printed, messages = run_check(_COURSE, grade_id, answer)
            texts.append(feedback_text(outcome, printed, messages))
    assert texts[:2] == texts[2:]
    assert "at 0x..." in texts[0] and "FAIL" in texts[0]


def test_a_spent_time_budget_is_explained_as_slowness_not_as_a_hang():
    from grader.outcome import explain_exception
    from grader.sandbox.session import OutOfTime, WorkerFailure

    got, cause = explain_exception(OutOfTime("grading time for `l2` (30 s per answer) ran out"))
    assert got.startswith("grading time for `l2`") and "make each call fast" in cause
    _, cause = explain_exception(WorkerFailure("timed out after 10 s"))
    assert "endless loops" in cause


def test_a_missing_hypothesis_hook_stops_grading_instead_of_failing_students(monkeypatch):
    """The private hook that keeps draws independent of imported modules: if a Hypothesis release
    drops it, grading must stop loudly, not grade on other examples or blame the student."""
    import hypothesis.internal.conjecture.providers as providers

    from grader.checks import properties
    from grader.outcome import CheckContext

    monkeypatch.delattr(providers, "_get_local_constants")
    with pytest.raises(properties.HookMissing, match="_get_local_constants"):
        properties.require_constants_hook()
    ctx = CheckContext(_COURSE.policy)
    with pytest.raises(properties.HookMissing):
        list(properties.each_holds_for_all(ctx, properties.finite_floats(1.0), {"holds": lambda x: None}))
