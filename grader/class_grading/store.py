"""The coordinator's writes: one student's result into the course's gradebook, status and autograded/.

Only the coordinator calls this, one student at a time, so the gradebook has a single writer. The
gradebook rows are written in one transaction, mirroring what `nbgrader autograde` itself writes:
the submission (timestamp), and per submitted notebook the late penalty, each grade's auto score and
needs-manual-grade flag, and each answer's auto comment; manual scores and comments are left alone.
"""

from __future__ import annotations

import os
import shutil
import signal
import warnings
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from .. import grading_status
from ..broken_notebooks import invalid_cause
from .bundle import write_tree


@contextmanager
def deferred_interrupt():
    """Ctrl-C waits until the block is done, then raises: a student is written fully or not at all."""
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: pending.append(True))
    except ValueError:  # not the main thread: nothing to defer
        yield
        return
    pending: list[bool] = []
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if pending:
            raise KeyboardInterrupt


def notebook_statuses(files: dict[str, bytes], notebooks: list[str], graded: bool) -> dict[str, tuple[str, str]]:
    """notebook -> (status, cause) from a submission bundle: "missing" (no file), "invalid" (empty or
    not a readable notebook), else "graded" or "not graded" as the student's run went."""
    out = {}
    for name in notebooks:
        data = files.get(f"{name}.ipynb")
        if data is None:
            out[name] = ("missing", "not submitted")
            continue
        cause = invalid_cause(data)
        out[name] = ("invalid", cause) if cause else (("graded", "") if graded else ("not graded", ""))
    return out


def _submission(gb, assignment: str, student: str):
    """The student's submission, created (with nbgrader's own structure) but not committed."""
    from nbgrader.api import Comment, Grade, MissingEntry, Student, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy.exc import SAWarning

    try:
        return gb.find_submission(assignment, student)
    except MissingEntry:
        pass
    try:
        who = gb.find_student(student)
    except MissingEntry:
        who = Student(id=student)
        gb.db.add(who)
    # Built first and added at the end, as nbgrader's add_submission does; SQLAlchemy warns about the
    # back-references meanwhile (nbgrader's own call warns the same), which the final add resolves.
    with gb.db.no_autoflush, warnings.catch_warnings():
        warnings.simplefilter("ignore", SAWarning)
        sub = SubmittedAssignment(assignment=gb.find_assignment(assignment), student=who)
        for notebook in sub.assignment.notebooks:
            nb = SubmittedNotebook(notebook=notebook, assignment=sub)
            for cell in notebook.grade_cells:
                Grade(cell_id=cell.id, notebook=nb)
            for cell in notebook.solution_cells:
                Comment(cell_id=cell.id, notebook=nb)
            for cell in notebook.task_cells:
                Comment(cell_id=cell.id, notebook=nb)
                Grade(cell_id=cell.id, notebook=nb)
        gb.db.add(sub)
        gb.db.flush()
    return sub


def write_records(db_url: str, course_id: str, assignment: str, student: str, records: dict) -> None:
    """Write a StudentResult's `records` (see task._records) into the gradebook in one transaction."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id) as gb:
        try:
            sub = _submission(gb, assignment, student)
            sub.timestamp = datetime.fromisoformat(records["timestamp"]) if records["timestamp"] else None
            by_name = {nb.name: nb for nb in sub.notebooks}
            for name, rec in records["notebooks"].items():
                nb = by_name[name]
                nb.late_submission_penalty = rec["late_submission_penalty"]
                grades = {g.name: g for g in nb.grades}
                for gid, g in rec["grades"].items():
                    grade = grades[gid]
                    grade.auto_score = g["auto_score"]
                    # SaveAutoGrades: a cell a human already scored needs review again after a regrade.
                    grade.needs_manual_grade = g["needs_manual_grade"] or (
                        grade.manual_score is not None and g["auto_score"] is not None)
                comments = {c.name: c for c in nb.comments}
                for gid, c in rec["comments"].items():
                    comments[gid].auto_comment = c["auto_comment"]
            gb.db.commit()
        except BaseException:
            gb.db.rollback()
            raise


def replace_folder(dest: Path, files: dict[str, bytes], modes: dict[str, int]) -> None:
    """Put `files` at `dest` (autograded/<student>/<assignment>), replacing what was there, by renames."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fresh = dest.with_name(f".{dest.name}.new")
    old = dest.with_name(f".{dest.name}.old")
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    write_tree(fresh, files)
    for rel, mode in modes.items():
        os.chmod(fresh / rel, mode)
    if dest.exists():
        dest.rename(old)
    fresh.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def store_result(course_root: Path, db_url: str, course_id: str, assignment: str, notebooks: list[str],
                 result: dict, files: dict[str, bytes], content_hash: str) -> tuple[str, str]:
    """Write one student's result; returns the (status, cause) recorded for the student.

    graded: gradebook rows, autograded folder and status rows. failed (nbgrader could not grade): the
    gradebook rows nbgrader wrote, as serial nbgrader would leave them, no autograded folder, status
    "not graded". refused / dead worker (no records): nothing but the status "not graded"."""
    student = result["student"]
    graded = result["status"] == "graded"
    per_notebook = notebook_statuses(files, notebooks, graded)
    for row in result.get("status_rows", []):  # what nbgrader's own run recorded knows more
        if row["notebook"] is not None:
            per_notebook[row["notebook"]] = (row["status"], row["cause"])
    status, cause = ("graded", "") if graded else ("not graded", result["cause"])
    refused = [r for r in result.get("status_rows", []) if r["notebook"] is None and r["status"] == "invalid"]
    if refused and not graded:  # the run refused the whole submission (for example, it holds links)
        status, cause = "invalid", refused[0]["cause"]
    with deferred_interrupt():
        if result.get("records") is not None:
            write_records(db_url, course_id, assignment, student, result["records"])
        dest = course_root / "autograded" / student / assignment
        if graded:
            replace_folder(dest, result["autograded"], result["modes"])
        elif dest.exists():
            shutil.rmtree(dest)  # as nbgrader's "Removing failed assignment"
        grading_status.record_student(db_url, assignment, student, status, cause=cause,
                                      content_hash=content_hash if graded else None, notebooks=per_notebook)
    return status, cause
