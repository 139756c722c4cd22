"""The demo class: a few typical submissions graded by real `nbgrader autograde`.

Students (per notebook of the assignment):
- `solution`: the reference solutions typed into the release;
- `stubs`: the release as students receive it, untouched;
- `alice` and `bob`: the solutions with typical mistakes from the mutant corpus swapped in;
- `carol`: notebook files that are not valid JSON, to show that they are graded as notebooks without
  answers (marked invalid, with the reason) and the others are still graded.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from .course import load_course
from .course_assignment import only_assignment
from .nbgrader_cli import run_nbgrader
from .submissions import build_submission, mutant, write_submission

# The demo grades course.yaml's one assignment: its students' mistakes come from the corpus.
ONE_ASSIGNMENT = "the demo grades a course of one assignment"
COURSE_FILES = ("course.yaml", "nbgrader_config.py", "solutions", "assignments")
# Typical mistakes from the mutant corpus, a few per student, spread over the notebooks.
BUGGY_STUDENTS = {
    "alice": ["svm_vectorized_reg_gradient_missing", "softmax_vectorized_no_max_shift", "l2_gradient_reg_w",
              "numerical_gradient_forward_difference", "sample_minibatch_two_draws", "hog_signed_orientation"],
    "bob": ["svm_naive_counts_correct_class", "softmax_naive_not_divided_by_n", "l1_no_abs",
            "rel_error_no_floor", "linear_classifier_appends_twice", "color_hist_not_normalized"],
}


def copy_course(repo: Path, dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for name in COURSE_FILES:
        src = repo / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(src, dest / name)


def write_demo_submissions(course_root: Path) -> dict[str, str]:
    """Write the demo students' submissions; returns student -> what it demonstrates."""
    course = load_course(course_root / "course.yaml")
    assignment = only_assignment(course, ONE_ASSIGNMENT)
    notebooks = list(course.assignments[assignment].notebooks)
    about = {}

    def per_notebook(**kwargs):
        return {nb: build_submission(course_root, assignment, nb, **kwargs) for nb in notebooks}

    write_submission(course_root, "solution", assignment, per_notebook())
    about["solution"] = "the reference solutions"
    write_submission(course_root, "stubs", assignment, per_notebook(solved=False))
    about["stubs"] = "the release, untouched"
    for student, names in BUGGY_STUDENTS.items():
        bugs = [mutant(n) for n in names]
        subs = {nb: build_submission(course_root, assignment, nb, with_mutants=[m for m in bugs if m.notebook == nb])
                for nb in notebooks}
        write_submission(course_root, student, assignment, subs)
        about[student] = "; ".join(m.description.rstrip(".") for m in bugs)
    broken = course_root / "submitted" / "carol" / assignment
    broken.mkdir(parents=True)
    for nb in notebooks:
        (broken / f"{nb}.ipynb").write_text('{"cells": [', encoding="utf-8")
    about["carol"] = "notebook files that are not valid JSON"
    return about


def run_demo(repo: Path, workdir: Path, console) -> int:
    from rich.table import Table

    from .scores import gradebook_scores, score_table

    started = time.perf_counter()
    copy_course(repo, workdir)
    course = load_course(workdir / "course.yaml")
    assignment = only_assignment(course, ONE_ASSIGNMENT)
    with console.status(f"nbgrader generate_assignment {assignment} (records the assignment in the gradebook)"):
        gen = run_nbgrader(workdir, "generate_assignment", assignment, "--force")
    if gen.returncode != 0:
        console.print("[red]nbgrader generate_assignment failed:[/red]", *gen.error_lines()[-5:], sep="\n")
        return 1
    about = write_demo_submissions(workdir)
    students = Table(title="demo class", show_header=True)
    students.add_column("student")
    students.add_column("submission")
    for student, text in about.items():
        students.add_row(student, text)
    console.print(students)
    t0 = time.perf_counter()
    with console.status(f"nbgrader autograde {assignment} ({len(about)} students)"):
        run = run_nbgrader(workdir, "autograde", assignment)
    autograde_seconds = time.perf_counter() - t0
    (workdir / "autograde.log").write_text(run.log, encoding="utf-8")
    failed = run.failed_students()
    rows = gradebook_scores(course, assignment, f"sqlite:///{workdir / 'gradebook.db'}")
    errors = {s: "not graded: see autograde.log" for s in failed}
    order = {student: i for i, student in enumerate(about)}
    rows = sorted((r for r in rows if r.student not in failed), key=lambda r: order.get(r.student, len(order)))
    console.print(score_table(course, assignment, rows, errors))
    for student in sorted(failed):
        console.print(f"[red]{student}[/red]: nbgrader could not grade this submission "
                      f"(its notebook is not valid); the other students were graded.")
    console.print(f"gradebook: {workdir / 'gradebook.db'}   nbgrader log: {workdir / 'autograde.log'}")
    console.print(f"wall time: autograde {autograde_seconds:.1f} s, whole demo {time.perf_counter() - started:.1f} s")
    report = write_demo_report(workdir, course)
    console.print(f"class report (what the class got wrong): {report}", highlight=False, soft_wrap=True)
    graded = {r.student for r in rows}
    return 0 if {"solution", "stubs"} <= graded else 1


def write_demo_report(workdir: Path, course) -> Path:
    """The instructor's class report of the demo class (`grader report`), written beside its gradebook."""
    from .report import write_report
    from .results import load_class

    results = load_class(course, only_assignment(course, ONE_ASSIGNMENT), f"sqlite:///{workdir / 'gradebook.db'}",
                         workdir)
    out = workdir / "report.html"
    write_report(results, out)
    return out
