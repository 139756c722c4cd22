"""The template gradebook a scratch course starts from: the course's gradebook without any student.

It keeps exactly what `nbgrader generate_assignment` recorded (assignments, due dates, notebooks,
graded cells with their points, locked cells' sources and checksums, nbgrader's schema version), so a
scratch course restores and scores cells as the course itself would.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

# Every table that holds students or their work (nbgrader's, and grading_status's).
STUDENT_TABLES = ("grade", "comment", "submitted_notebook", "submitted_assignment", "student", "grader_status")


class TemplateError(RuntimeError):
    """The course's gradebook cannot serve as a template (missing, not SQLite, assignment not recorded)."""


def sqlite_path(db_url: str) -> Path:
    """The file of a `sqlite:///...` URL; other databases are refused with a one-line reason."""
    prefix = "sqlite:///"
    if not db_url.startswith(prefix):
        raise TemplateError(f"{db_url}: expected a SQLite gradebook (sqlite:///path), as nbgrader makes by default")
    return Path(db_url[len(prefix):])


def build_template(db_url: str, assignment: str, dest: Path) -> bytes:
    """Copy the course gradebook to `dest`, delete every student's rows, and return the file's bytes."""
    src = sqlite_path(db_url)
    if not src.is_file():
        raise TemplateError(f"{src}: no gradebook; expected `nbgrader generate_assignment {assignment}` to have run")
    # sqlite3's backup reads a consistent snapshot even while nbgrader or formgrader has it open.
    with sqlite3.connect(src) as source, sqlite3.connect(dest) as copy:
        source.backup(copy)
    try:
        with sqlite3.connect(dest) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "assignment" not in tables or not db.execute("SELECT 1 FROM assignment WHERE name = ?",
                                                            (assignment,)).fetchone():
                raise TemplateError(f"{src}: assignment {assignment!r} is not recorded; expected "
                                    f"`nbgrader generate_assignment {assignment}` first")
            for table in STUDENT_TABLES:
                if table in tables:
                    db.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names above)
        with sqlite3.connect(dest) as db:
            db.execute("VACUUM")
    except sqlite3.DatabaseError as exc:
        raise TemplateError(f"{src}: not a readable nbgrader gradebook ({exc})") from None
    return dest.read_bytes()


def copy_template(template: Path, dest: Path) -> None:
    shutil.copyfile(template, dest)
