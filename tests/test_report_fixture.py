"""A fixed, small graded class for the report, exporter and scores tests: a gradebook built with
nbgrader's own API in a temporary folder, and autograded notebooks made in memory whose test cells
hold outcome records made by the trusted step's own serializer. No autograde runs, so these tests
take seconds, and their golden files never move with the checks' wording.

The course is frozen (tests/golden/course.yaml: lecture3's cells and points when the golden files
were made), so a task added to course.yaml changes none of these tests. The class:
- ann: every point; her hand-graded answers graded.
- ben: the regularization gradient missing in svm_loss_vectorized; l2_regularization gives reg * W.
- cat: the same svm_loss_vectorized bug; softmax_loss_naive still the stub; submitted 2 days late.
- dan: no `features` notebook submitted (missing); otherwise full marks.
- eve: in the gradebook, but her submission could not be graded (the status table says why).
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from grader.course import load_course
from grader.outcome import Outcome, Result
from grader.results import OUTCOME_KEY, outcome_record

REPO = Path(__file__).resolve().parents[1]
FROZEN_COURSE = Path(__file__).resolve().parent / "golden" / "course.yaml"
ASSIGNMENT = "lecture3"
DUE = datetime.datetime(2026, 4, 10, 17, 0, 0)
HIDDEN_SOURCE = "### BEGIN HIDDEN TESTS\nSECRET_HIDDEN_TEST_SOURCE = 1\n### END HIDDEN TESTS"
STUDENTS = {"ann": ("Ann", "Archer"), "ben": ("Ben", "Bauer"), "cat": ("Cat", "Chen"), "dan": ("Dan", "Diaz"),
            "eve": ("Eve", "Evans")}

REG_GRADIENT = "the regularization gradient is missing: add 2 * reg * W"
STUB = "the function is still the stub: replace `raise NotImplementedError()` with your code"


def _failing(grade_id: str, points: float, checked: str, expected: str, got: str, cause: str,
             passed_first: int = 1) -> Outcome:
    ok = [Result(f"criterion {i + 1} of {grade_id}", True) for i in range(passed_first)]
    return Outcome(grade_id, points, [*ok, Result(checked, False, 1.0, expected, got, cause)])


def _stubbed(grade_id: str, points: float) -> Outcome:
    basic = Result("the basic case", False, expected="the reference loss 1.386",
                   got="NotImplementedError (at `raise NotImplementedError()`)", cause=STUB)
    return Outcome(grade_id, points, [Result("other criterion", True)], basic=basic)


# (student, grade_id) -> the outcome of a cell that loses points; every other test cell passes.
BUGS = {
    ("ben", "svm_loss_vectorized-gradient"): lambda p: _failing(
        "svm_loss_vectorized-gradient", p, "dW against centered differences (reg = 0.1)",
        "relative error below 1e-06", "relative error 0.31 (largest entry of dW - dW_ref: 0.04)", REG_GRADIENT),
    ("cat", "svm_loss_vectorized-gradient"): lambda p: _failing(
        "svm_loss_vectorized-gradient", p, "dW against centered differences (reg = 0.1)",
        "relative error below 1e-06", "relative error 0.29 (largest entry of dW - dW_ref: 0.05)", REG_GRADIENT),
    ("ben", "l2_regularization-gradient"): lambda p: _failing(
        "l2_regularization-gradient", p, "dR against centered differences of R",
        "dR = 2 * reg * W", "dR = reg * W (largest entry of dR - 2 * reg * W: -0.85)",
        "the regularization gradient is reg * W; the derivative of reg * sum(W * W) is 2 * reg * W", passed_first=0),
}
for gid in ("softmax_loss_naive-loss", "softmax_loss_naive-gradient", "softmax_loss_naive-sanity"):
    BUGS[("cat", gid)] = (lambda g: (lambda p: _stubbed(g, p)))(gid)

MANUAL_GRADED = {"ann": 1.0, "dan": 0.5}   # hand scores per manual cell; others still waiting


def outcome_for(student: str, grade_id: str, points: float) -> Outcome:
    make = BUGS.get((student, grade_id))
    if make is not None:
        return make(points)
    return Outcome(grade_id, points, [Result(f"criterion 1 of {grade_id}", True),
                                      Result(f"criterion 2 of {grade_id}", True)])


_BUILT: list[Path] = []   # the class is built once per test session, then copied


def build_class(root: Path) -> Path:
    """The class above in `root` (course.yaml, gradebook.db, autograded/, solutions/); returns root."""
    import atexit
    import tempfile

    if not _BUILT:
        folder = tempfile.mkdtemp(prefix="report-class-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        _BUILT.append(_build(Path(folder) / "course"))
    shutil.copytree(_BUILT[0], root)
    return root


def _build(root: Path) -> Path:
    from nbgrader.api import Gradebook

    from grader import grading_status

    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(FROZEN_COURSE, root / "course.yaml")
    course = load_course(root / "course.yaml", check_notebooks=False)
    _write_solutions(root, course)   # `grader` and nbgrader commands check course.yaml against them
    spec = course.assignments[ASSIGNMENT]
    url = f"sqlite:///{root / 'gradebook.db'}"
    with Gradebook(url, course.course_id) as gb:
        gb.add_assignment(ASSIGNMENT, duedate=DUE)
        for nb_name, nb in spec.notebooks.items():
            gb.add_notebook(nb_name, ASSIGNMENT)
            for task in nb.tasks.values():
                for grade_id, cell in task.tests.items():
                    gb.add_grade_cell(grade_id, nb_name, ASSIGNMENT, max_score=cell.points, cell_type="code")
                if task.manual is not None:
                    gb.add_grade_cell(task.name, nb_name, ASSIGNMENT, max_score=task.manual, cell_type="markdown")
                    gb.add_solution_cell(task.name, nb_name, ASSIGNMENT)
        for student, (first, last) in STUDENTS.items():
            gb.add_student(student, first_name=first, last_name=last, email=f"{student}@example.edu")
            late = datetime.timedelta(days=2, hours=3) if student == "cat" else -datetime.timedelta(hours=1)
            gb.add_submission(ASSIGNMENT, student, timestamp=DUE + late)
            for nb_name, nb in spec.notebooks.items():
                sub_nb = gb.find_submission_notebook(nb_name, ASSIGNMENT, student)
                if student == "cat":
                    sub_nb.late_submission_penalty = 5.0 if nb_name == "losses" else 0.0
                grades = {g.name: g for g in sub_nb.grades}
                graded = student != "eve" and not (student == "dan" and nb_name == "features")
                cells = []
                for task in nb.tasks.values():
                    for grade_id, cell in task.tests.items():
                        grade = grades[grade_id]
                        outcome = outcome_for(student, grade_id, cell.points)
                        grade.auto_score = outcome.score if graded else 0.0
                        grade.needs_manual_grade = False
                        cells.append(_test_cell(grade_id, cell.points, outcome, course))
                    if task.manual is not None:
                        grade = grades[task.name]
                        grade.auto_score = None
                        hand = MANUAL_GRADED.get(student)
                        grade.manual_score = None if hand is None else hand * task.manual
                        grade.needs_manual_grade = hand is None
                        cells.append(new_markdown_cell("my answer", metadata={"nbgrader": {
                            "grade": True, "solution": True, "grade_id": task.name, "points": task.manual}}))
                gb.db.commit()
                if graded:
                    folder = root / "autograded" / student / ASSIGNMENT
                    folder.mkdir(parents=True, exist_ok=True)
                    nbformat.write(new_notebook(cells=cells), folder / f"{nb_name}.ipynb")
    grading_status.record_student(url, ASSIGNMENT, "eve", "not graded",
                                  cause="the grading worker died 3 times", notebooks={})
    return root


def _write_solutions(root: Path, course) -> None:
    """Source notebooks holding exactly the frozen course's graded cells: a task's answer cell, its test
    cells calling grade() with their grade_id, and the answer graded by hand."""
    def meta(grade_id: str, *, grade=False, solution=False, points=None) -> dict:
        nbg = {"grade": grade, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
               "solution": solution, "task": False}
        return {"nbgrader": nbg if points is None else {**nbg, "points": points}}

    for nb_name, nb in course.assignments[ASSIGNMENT].notebooks.items():
        cells = []
        for task in nb.tasks.values():
            if task.manual is not None:
                cells.append(new_markdown_cell("your answer", metadata=meta(task.name, grade=True, solution=True,
                                                                            points=task.manual)))
            elif task.tests:
                cells.append(new_code_cell("# your answer", metadata=meta(task.name, solution=True)))
            for grade_id, cell in task.tests.items():
                source = f'### BEGIN HIDDEN TESTS\nfrom grader import grade\ngrade("{grade_id}", {task.name})\n' \
                         "### END HIDDEN TESTS"
                cells.append(new_code_cell(source, metadata=meta(grade_id, grade=True, points=cell.points)))
        folder = root / "solutions" / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(new_notebook(cells=cells), folder / f"{nb_name}.ipynb")


def _test_cell(grade_id: str, points: float, outcome: Outcome, course):
    cell = new_code_cell(HIDDEN_SOURCE, metadata={"nbgrader": {"grade": True, "solution": False, "locked": True,
                                                               "grade_id": grade_id, "points": points}})
    cell.metadata[OUTCOME_KEY] = outcome_record(outcome, course)
    cell.outputs = [new_output("stream", name="stdout", text=outcome.report() + "\n"),
                    new_output("execute_result", data={"text/plain": repr(outcome.score)}, execution_count=1)]
    return cell


def test_the_fixture_class_reads_back_as_described(tmp_path):
    from grader.results import load_class

    root = build_class(tmp_path / "course")
    course = load_course(root / "course.yaml")   # the frozen course agrees with the notebooks written for it
    results = load_class(course, ASSIGNMENT, f"sqlite:///{root / 'gradebook.db'}", root)
    by = {s.student: s for s in results.students}
    assert results.status_source == "gradebook"
    assert by["ann"].status == "graded" and by["ann"].score == results.max_points()
    assert (by["eve"].status, by["eve"].cause) == ("not graded", "the grading worker died 3 times")
    assert by["dan"].status == "partly graded" and by["dan"].notebooks["features"].status == "missing"
    assert by["cat"].late_seconds == 2 * 86400 + 3 * 3600 and by["cat"].late_penalty == 5.0
    assert by["ben"].notebooks["losses"].cells["svm_loss_vectorized-gradient"].first_cause == REG_GRADIENT


def test_without_the_status_table_statuses_come_from_the_folders(tmp_path):
    """No grader_status rows: no autograded folder = not graded, no autograded notebook = missing."""
    import sqlite3

    from grader.results import load_class

    root = build_class(tmp_path / "course")
    with sqlite3.connect(root / "gradebook.db") as db:
        db.execute("DELETE FROM grader_status")
    course = load_course(root / "course.yaml", check_notebooks=False)
    results = load_class(course, ASSIGNMENT, f"sqlite:///{root / 'gradebook.db'}", root, outcomes=False)
    by = {s.student: s for s in results.students}
    assert results.status_source == "disk"
    assert (by["eve"].status, by["eve"].cause) == ("not graded", "no autograded submission")
    assert by["eve"].score == 0 and by["eve"].notebooks["losses"].score is None
    assert by["dan"].notebooks["features"].status == "missing" and by["dan"].status == "partly graded"
    assert by["ann"].status == "graded" and by["ann"].cells()[0].outcome is None   # outcomes=False: none read
