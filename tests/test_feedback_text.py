"""The feedback the trusted step writes is the student's, and the same word for word every time the
same code is graded: the student's own prints and warnings, never the grader's (its warnings, the
garbage collector finalizing its temporary folders, file paths, memory addresses)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

from grader.checks import CHECKS
from grader.course import load_course, parse_course
from grader.preprocessors.trusted_grading import TrustedGrading, cell_feedback
from grader.sandbox.proxies import active
from grader.sandbox.session import Session

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yaml", check_notebooks=False)

# The student's answer cell, as the worker loads it: noisy, right on the lecture's three classes and
# wrong beyond them, so that properties fail and Hypothesis shrinks a counterexample.
NOISY_HINGE = '''
import warnings
import numpy as np

print("loaded the answer cell")            # shown under the answer cell in the kernel, not in feedback

class Tracker:
    pass

def multiclass_hinge_loss(scores, y):
    print("tracking with", Tracker())      # an address, different on every run
    warnings.warn("the student's own warning")
    np.mean(np.array([]))                  # numpy warns from inside numpy: no file path may show
    rows = np.arange(scores.shape[0])
    margins = np.maximum(0.0, scores - scores[rows, y][:, None] + 1.0)
    margins[rows, y] = 0.0
    return margins.sum(axis=1) + (0.0 if scores.shape[1] <= 3 else 0.01 * np.abs(scores[:, 0]))
'''


def _grade(grade_id: str, course=COURSE, answer=NOISY_HINGE) -> tuple[str, float]:
    with Session([("answer cell multiclass_hinge_loss", answer)]) as session, active(session):
        points = course.test_cell(grade_id).points
        return TrustedGrading()._grade(course, session, grade_id, f'grade("{grade_id}", multiclass_hinge_loss)',
                                       points)


def test_the_students_prints_and_warnings_reach_the_feedback_without_paths_or_addresses():
    text, score = _grade("multiclass_hinge_loss-values")
    assert score < 1 and "FAIL" in text
    assert "Your code printed (captured, not an error):" in text and "tracking with" in text
    assert "UserWarning: the student's own warning" in text
    assert "RuntimeWarning: Mean of empty slice" in text
    assert "loaded the answer cell" not in text
    assert not re.search(r"0x[0-9a-fA-F]", text), text
    for machine_detail in ("<answer cell", "site-packages", ".py:", "/tmp", "worker-"):
        assert machine_detail not in text, (machine_detail, text)


def test_grader_internal_noise_in_the_trusted_process_never_reaches_the_feedback(monkeypatch, tmp_path):
    """Everything that runs in nbgrader's process is the grader's: its warnings, what it prints (to
    sys.stderr or file descriptor 2, as a logger would) and the garbage it leaves are not reported."""
    import os
    import tempfile

    hinge = CHECKS[COURSE.test_cell("multiclass_hinge_loss-values").check]

    def noisy_check(answer, ctx):
        warnings.warn("grader-internal", DeprecationWarning, stacklevel=1)
        tempfile.TemporaryDirectory(prefix="kernel-home-")    # "Implicitly cleaning up <TemporaryDirectory ...>"
        os.write(2, b"[AutogradeApp | INFO] a log line\n")
        print("the grader's own print")
        yield from hinge(answer, ctx)

    monkeypatch.setitem(CHECKS, "noisy_hinge_for_test", noisy_check)
    text = ("course_id: t\nassignments:\n  a:\n    notebooks:\n      nb:\n        tasks:\n"
            "          multiclass_hinge_loss:\n            tests:\n"
            "              multiclass_hinge_loss-values: {points: 1, check: noisy_hinge_for_test}\n")
    course = parse_course(text, tmp_path / "course.yaml", known_checks=lambda name: name in CHECKS)
    with warnings.catch_warnings(record=True) as escaped:
        warnings.simplefilter("always")
        feedback, _ = _grade("multiclass_hinge_loss-values", course)
    assert not [w for w in escaped if "grader-internal" in str(w.message)]
    for internal in ("grader-internal", "DeprecationWarning", "ResourceWarning", "kernel-home-", "AutogradeApp",
                     "the grader's own print"):
        assert internal not in feedback, (internal, feedback)
    assert "the student's own warning" in feedback and "tracking with" in feedback


@pytest.mark.parametrize("grade_id", ["multiclass_hinge_loss-values", "multiclass_hinge_loss-properties"])
def test_grading_the_same_answer_twice_gives_identical_feedback(grade_id):
    first, first_score = _grade(grade_id)
    second, second_score = _grade(grade_id)
    assert first == second and first_score == second_score


def test_cell_feedback_reads_what_the_trusted_step_wrote():
    import nbformat

    cell = nbformat.v4.new_code_cell("grade(...)")
    cell.metadata["nbgrader"] = {"grade_id": "f-values", "grade": True, "solution": False, "points": 1}
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="f-values: 1 / 1 points\n"),
                    nbformat.v4.new_output("execute_result", data={"text/plain": "1.0"}, execution_count=1)]
    answer = nbformat.v4.new_code_cell("def f(): pass")
    answer.metadata["nbgrader"] = {"grade_id": "f", "grade": False, "solution": True}
    nb = nbformat.v4.new_notebook(cells=[answer, cell])
    assert cell_feedback(nb) == {"f-values": "f-values: 1 / 1 points\n"}


def test_the_kernel_folder_is_removed_when_the_kernel_shuts_down_not_by_the_garbage_collector():
    import asyncio

    from grader.sandbox.kernel import ContainedKernelManager

    km = ContainedKernelManager(kernel_name="python3")
    asyncio.run(km._async_pre_start_kernel())
    base = km._base
    assert base.is_dir() and base.name.startswith("kernel-") and km.transport == "ipc"
    assert Path(km.connection_file).parent == base / "run"
    asyncio.run(km._async_pre_start_kernel())      # a new start gets a new folder; the old one goes now
    assert not base.exists()
    base = km._base
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        asyncio.run(km._async_cleanup_resources(restart=False))
    assert not base.exists() and km._base is None
