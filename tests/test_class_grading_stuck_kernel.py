"""A kernel that cannot be interrupted costs only the cells of the function that hangs it.

The submission's `rel_error` ignores SIGINT and loops; the notebook's own visible check calls it, so
the kernel hangs past the cell timeout and nbclient's interrupt does nothing. The trusted step grades
every test cell from the answer cells in its own worker, so only `rel_error`'s cells may lose points;
every other autograded cell of gradients.ipynb must keep full marks (the other answers are the
solution's), under `grader autograde`.
(ContainedExecute, grader/sandbox/kernel.py, stops the kernel that ignores the interrupt; the rest of
the notebook is not run in it, and nbgrader no longer drops the whole notebook.)
"""

from __future__ import annotations

import pytest
import yaml
from class_grading_support import ASSIGNMENT, grader_cli, gradebook_rows, released_course, submit
from nbgrader.api import Gradebook

from grader.submissions import fill_answers, solution_answers

pytestmark = pytest.mark.e2e

GRAD = "gradients"
STUCK = '''import signal

def rel_error(x, y):
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C, and nbclient's interrupt, do nothing
    while True:
        pass
'''


def test_uninterruptible_loop_costs_only_its_function(tmp_path):
    root = released_course(tmp_path / "course", tmp_path / "released")
    course = yaml.safe_load((root / "course.yaml").read_text(encoding="utf-8"))
    course["policy"]["cell_timeout_seconds"] = 5  # reach the timeout quickly
    (root / "course.yaml").write_text(yaml.safe_dump(course, sort_keys=False), encoding="utf-8")
    answers = solution_answers(root / "solutions" / ASSIGNMENT / f"{GRAD}.ipynb")
    answers["rel_error"] = STUCK
    submit(root, "stuck", {GRAD: fill_answers(root / "assignments" / ASSIGNMENT / f"{GRAD}.ipynb", answers)})
    run = grader_cli(root, "autograde", ASSIGNMENT, "--jobs", "1", timeout=900)
    rows = gradebook_rows(root)
    assert "stuck" in rows, run.stdout[-3000:]
    got = rows["stuck"]["notebooks"][GRAD]["grades"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:  # full marks: what the solution scores
        want = {c.name: c.max_score for c in gb.find_notebook(GRAD, ASSIGNMENT).grade_cells if c.cell_type == "code"}
    assert want
    lost = {name for name in want if got[name][0] != want[name]}
    assert lost and all(name.startswith("rel_error-") for name in lost), lost
    assert (root / "autograded" / "stuck" / ASSIGNMENT / f"{GRAD}.ipynb").is_file()
