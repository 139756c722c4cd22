"""`grader scores` at class size: one row per student (never cut), one column per notebook, --csv and
--task NAME for one task's cells and likely causes."""

from __future__ import annotations

import csv
import functools
import io
import re

import pytest
from rich.console import Console
from test_report_fixture import ASSIGNMENT, REG_GRADIENT, REPO, build_class

from grader.course import load_course
from grader.results import CellResult, ClassResults, NotebookResult, StudentResult
from grader.scores import class_table


def synthetic_class(course, n: int) -> ClassResults:
    """n students with long ids and varied scores, built in memory (the table is what is tested)."""
    spec = course.assignments[ASSIGNMENT]
    students = []
    for i in range(n):
        s = StudentResult(f"firstname.lastname{i:04d}", "First", f"Last{i}")
        for nb_name, nb in spec.notebooks.items():
            missing = i % 97 == 5 and nb_name == "features"
            r = NotebookResult(nb_name, "missing" if missing else "graded", max_score=sum(nb.graded_cells.values()))
            for task in nb.tasks.values():
                for g, points in task.graded_cells.items():
                    kind = "auto" if g in task.tests else "manual"
                    score = None if missing or kind == "manual" else points * ((i + len(g)) % 4) / 3
                    r.cells[g] = CellResult(g, nb_name, task.name, kind, score, points)
            r.score = None if missing else sum(c.score or 0 for c in r.cells.values())
            s.notebooks[nb_name] = r
        if i % 97 == 5:
            s.status, s.cause = "partly graded", "features: missing (no notebook submitted)"
        students.append(s)
    return ClassResults(course, ASSIGNMENT, students, "disk")


def test_six_hundred_students_one_full_row_each_within_the_width():
    course = load_course(REPO / "course.yaml", check_notebooks=False)
    results = synthetic_class(course, 600)
    console = Console(width=140, record=True, file=io.StringIO(), color_system=None)
    console.print(class_table(results, 140))
    lines = console.export_text().splitlines()
    rows = [line for line in lines if re.match(r"│ firstname\.lastname\d{4} ", line)]
    assert len(rows) == 600                                       # one row each, every id whole
    assert all(len(line.rstrip()) <= 140 and line.rstrip().endswith(("│", "┃")) for line in lines
               if line.startswith(("│", "┃")))
    header = "\n".join(lines[:6])
    for nb_name in course.assignments[ASSIGNMENT].notebooks:        # one column per notebook, names whole
        assert nb_name in header
    assert "…" not in "".join(rows[:5])                              # nothing cut on an ordinary row
    assert sum("missing" in r for r in rows) == len([i for i in range(600) if i % 97 == 5])


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    import nbgrader.api

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nbgrader.api, "get_alembic_version", functools.lru_cache(nbgrader.api.get_alembic_version))
        yield build_class(tmp_path_factory.mktemp("class") / "course")


def _scores(root, capsys, *args) -> tuple[int, str, str]:
    from grader.cli import main

    code = main(["--course", str(root / "course.yaml"), "scores", "--gradebook", str(root / "gradebook.db"), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_scores_csv_one_row_per_student(root, capsys):
    code, out, _ = _scores(root, capsys, "--csv")
    assert code == 0
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(out))}
    assert list(rows) == ["ann", "ben", "cat", "dan", "eve"]
    assert (rows["ann"]["total"], rows["ann"]["losses"], rows["ann"]["hand_pending"]) == ("157", "59", "0")
    assert (rows["eve"]["status"], rows["eve"]["total"]) == ("not graded", "")
    assert (rows["dan"]["status"], rows["dan"]["features"]) == ("partly graded", "")
    assert rows["cat"]["total"] == "134.5"          # after the late penalty


def test_scores_task_detail(root, capsys):
    code, out, _ = _scores(root, capsys, "--task", "svm_loss_vectorized", "--csv")
    assert code == 0
    rows = {r["student"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["ben"]["svm_loss_vectorized-gradient"] == "1.5" and rows["ben"]["likely_cause"] == REG_GRADIENT
    assert rows["ann"]["likely_cause"] == "" and rows["ann"]["total"] == "9"
    code, out, _ = _scores(root, capsys, "--task", "svm_loss_vectorized")
    assert code == 0 and re.search(r"ben .* 1\.5 .* the regularization gradient is missing", out)
    code, _, err = _scores(root, capsys, "--task", "svm_loss_vectorised")
    assert code == 2 and "expected one of" in err and "svm_loss_vectorized" in err


def test_scores_table(root, capsys):
    code, out, _ = _scores(root, capsys)
    assert code == 0
    assert re.search(r"│ eve +│ +- │.*not graded: the grading worker", out)   # the whole cause: --csv
    assert re.search(r"│ dan .*│ +missing │", out)
