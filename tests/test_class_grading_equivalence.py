"""`grader autograde --jobs 2` against serial `nbgrader autograde`, on the same class of 11 students.

Each student submits one or two of the five notebooks (nbgrader scores the others as missing), so the
class covers solutions, stubs, bugs, missing notebooks, an invalid and an empty notebook, a late
submission, one late but within an extension, a submission without a timestamp and a duplicate notebook
under another name, cheaply.
Both runs use the same course (due date, late notebooks scored zero); the gradebook rows and the
autograded notebooks (without execution metadata) must be equal.
"""

from __future__ import annotations

import shutil

import pytest
from nbgrader.api import Gradebook

from grader import grading_status
from grader.nbgrader_cli import run_nbgrader

from class_grading_support import (ASSIGNMENT, LATE, autograded, grader_cli, gradebook_rows, released_course,
                                    solved, stubs, submit, total)

pytestmark = pytest.mark.e2e

REG, GRAD = "regularization", "gradients"


def write_class(root):
    submit(root, "a_solution", {GRAD: solved(root, GRAD), REG: solved(root, REG)})
    submit(root, "b_stubs", {REG: stubs(root, REG)})
    submit(root, "c_bug_gradients", {GRAD: solved(root, GRAD, "grad_check_sparse_forward_difference")})
    submit(root, "d_bug_regularization", {REG: solved(root, REG, "l1_gradient_ones")})
    submit(root, "e_only_gradients", {GRAD: solved(root, GRAD)})
    submit(root, "f_invalid", {GRAD: b'{"cells": [ {"cell_type": ', REG: solved(root, REG)})
    submit(root, "g_empty", {GRAD: b"", REG: solved(root, REG)})
    submit(root, "h_late", {REG: solved(root, REG)}, timestamp=LATE)
    submit(root, "i_duplicate", {REG: solved(root, REG), f"{REG}-Copy1": solved(root, REG, "l1_gradient_ones")})
    submit(root, "j_no_timestamp", {REG: solved(root, REG, "l1_gradient_ones")}, timestamp=None)
    submit(root, "k_extension", {REG: solved(root, REG)}, timestamp=LATE)


def grant_extension(root):
    """k_extension is late, but has two days more: recorded before grading, as an instructor would."""
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        gb.update_or_create_student("k_extension")
        gb.update_or_create_submission(ASSIGNMENT, "k_extension")
        gb.grant_extension(ASSIGNMENT, "k_extension", days=2)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("class")
    serial = released_course(base / "serial", base / "released")
    write_class(serial)
    parallel = released_course(base / "parallel", base / "released")
    shutil.copytree(serial / "submitted", parallel / "submitted")
    for root in (serial, parallel):
        grant_extension(root)
    plain = run_nbgrader(serial, "autograde", ASSIGNMENT)
    run = grader_cli(parallel, "autograde", ASSIGNMENT, "--jobs", "2")
    return serial, parallel, plain, run


def test_class_run_reports_every_student_and_a_summary(graded):
    _, parallel, plain, run = graded
    assert plain.returncode == 0, plain.log[-3000:]
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    lines = run.stdout.splitlines()
    assert sum(line.startswith("[") and "/11] " in line for line in lines) == 11
    assert any(line.startswith("11 graded, 0 not graded, 0 skipped as unchanged in ") and "students/min" in line
               for line in lines), run.stdout
    # nbgrader's repeated notices are in the log file, not on the console.
    assert "Attribute 'checksum'" not in run.stdout
    assert "Attribute 'checksum'" in (parallel / "autograde.log").read_text(encoding="utf-8")


def test_gradebook_rows_equal_serial_nbgrader(graded):
    serial, parallel, _, _ = graded
    want, got = gradebook_rows(serial), gradebook_rows(parallel)
    assert len(want) == 11
    assert got == want


def test_autograded_notebooks_equal_serial_nbgrader(graded):
    serial, parallel, _, _ = graded
    want, got = autograded(serial), autograded(parallel)
    assert f"a_solution/{ASSIGNMENT}/{REG}.ipynb" in want
    assert sorted(got) == sorted(want)
    for path in want:
        assert got[path] == want[path], path


@pytest.mark.parametrize("student", ["f_invalid", "g_empty"])
def test_a_broken_notebook_costs_only_its_own_cells(graded, student):
    serial, parallel, _, _ = graded
    full = total(gradebook_rows(serial), "a_solution", REG)
    assert full > 0
    for root in (serial, parallel):  # plain nbgrader and the class run alike
        rows = gradebook_rows(root)
        assert total(rows, student, REG) == full
        assert total(rows, student, GRAD) == 0
        assert (root / "autograded" / student / ASSIGNMENT / f"{REG}.ipynb").is_file()
        status = {(r.student, r.notebook): r for r in grading_status.read(f"sqlite:///{root / 'gradebook.db'}",
                                                                           ASSIGNMENT)}
        assert status[(student, GRAD)].status == "invalid"
    cause = "an empty file" if student == "g_empty" else "not a readable notebook"
    assert status[(student, GRAD)].cause.startswith(cause)


def test_status_marks_missing_and_invalid_notebooks(graded):
    _, parallel, _, _ = graded
    lines = grading_status.describe(grading_status.read(f"sqlite:///{parallel / 'gradebook.db'}", ASSIGNMENT))
    assert set(lines) == {"a_solution", "b_stubs", "c_bug_gradients", "d_bug_regularization", "e_only_gradients",
                          "f_invalid", "g_empty", "h_late", "i_duplicate", "j_no_timestamp", "k_extension"}
    assert lines["e_only_gradients"].startswith("graded; missing: features (not submitted)")
    assert "missing: regularization" in lines["e_only_gradients"]
    assert "invalid: gradients (an empty file)" in lines["g_empty"]
    assert "missing: gradients" not in lines["a_solution"]


def test_late_submission_is_penalised_the_same(graded):
    serial, parallel, _, _ = graded
    for root in (serial, parallel):
        rows = gradebook_rows(root)
        assert rows["h_late"]["notebooks"][REG]["late_submission_penalty"] == total(rows, "h_late", REG) > 0
        assert rows["a_solution"]["notebooks"][REG]["late_submission_penalty"] in (None, 0)
        assert rows["k_extension"]["extension"] is not None
        assert rows["k_extension"]["notebooks"][REG]["late_submission_penalty"] in (None, 0)
        assert total(rows, "k_extension", REG) == total(rows, "a_solution", REG)


def test_rerun_skips_unchanged_and_regrades_changed_or_forced(graded):
    serial, parallel, _, _ = graded
    submit(parallel, "d_bug_regularization", {REG: solved(parallel, REG)})  # a corrected resubmission
    again = grader_cli(parallel, "autograde", ASSIGNMENT, "--jobs", "2")
    assert again.returncode == 0, again.stdout[-2000:]
    assert "1 graded, 0 not graded, 10 skipped as unchanged" in again.stdout
    rows = gradebook_rows(parallel)
    assert total(rows, "d_bug_regularization", REG) == total(rows, "a_solution", REG)
    forced = grader_cli(parallel, "autograde", ASSIGNMENT, "--jobs", "1", "--force", "--student", "b_stubs")
    assert "1 graded, 0 not graded, 0 skipped as unchanged" in forced.stdout, forced.stdout[-2000:]
    assert gradebook_rows(parallel)["b_stubs"] == gradebook_rows(serial)["b_stubs"]


def test_unknown_student_is_one_line_naming_the_option(graded):
    _, parallel, _, _ = graded
    run = grader_cli(parallel, "autograde", ASSIGNMENT, "--student", "nobody")
    assert run.returncode == 2
    assert run.stderr.strip().startswith("error: --student nobody: no folder submitted/nobody/lecture3; expected")
    assert len(run.stderr.strip().splitlines()) == 1
