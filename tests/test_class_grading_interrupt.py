"""Ctrl-C during `grader autograde`, then a rerun: every student is fully graded or untouched, and the
rerun grades only those that were not (the others are skipped as unchanged)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from class_grading_support import ASSIGNMENT, grader_cli, gradebook_rows, released_course, solved, stubs, submit

from grader import grading_status
from grader.nbgrader_cli import nbgrader_env

pytestmark = pytest.mark.e2e

REG = "regularization"
STUDENTS = ("s1", "s2")


def test_interrupt_leaves_students_whole_and_a_rerun_resumes(tmp_path):
    root = released_course(tmp_path / "course", tmp_path / "released")
    submit(root, "s1", {REG: solved(root, REG)})
    submit(root, "s2", {REG: stubs(root, REG)})
    exe = Path(sys.executable).with_name("grader")
    run = subprocess.Popen([str(exe), "autograde", ASSIGNMENT, "--jobs", "1"], cwd=root, env=nbgrader_env(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = []
    for line in run.stdout:  # one line per student off a terminal
        seen.append(line)
        if line.startswith("[1/2] "):
            time.sleep(1.0)  # the second student is being graded now
            run.send_signal(signal.SIGINT)
            break
    out = "".join(seen) + run.stdout.read()
    assert run.wait(timeout=120) == 130, out
    assert "every student is either fully graded or untouched" in out
    rows = gradebook_rows(root)
    status = {r.student: r.status for r in grading_status.read(f"sqlite:///{root / 'gradebook.db'}", ASSIGNMENT)
              if r.notebook is None}
    graded = [s for s in STUDENTS if s in rows]
    assert graded == ["s1"], out  # s1 first (Dask runs them in order on the one worker), s2 interrupted
    for student in STUDENTS:
        folder = root / "autograded" / student / ASSIGNMENT
        if student in rows:  # fully graded: scores, notebook and status
            assert (folder / f"{REG}.ipynb").is_file() and status[student] == "graded"
        else:  # untouched
            assert not folder.exists() and student not in status
    again = grader_cli(root, "autograde", ASSIGNMENT, "--jobs", "1")
    assert again.returncode == 0, again.stdout
    assert "1 graded, 0 not graded, 1 skipped as unchanged" in again.stdout
    rows = gradebook_rows(root)
    assert sorted(rows) == list(STUDENTS)
    total = {s: sum(g[0] or 0 for g in rows[s]["notebooks"][REG]["grades"].values()) for s in STUDENTS}
    assert total["s1"] > total["s2"] == 0
