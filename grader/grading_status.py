"""Grading status per student (and per notebook) in the course's gradebook, beside nbgrader's tables.

nbgrader's gradebook says what a student scored, never why a score is missing: a notebook that was
empty, invalid, refused, or a student whose grading failed all look like a low score. This module keeps
that in a table of its own, `grader_status`, in the same database (nbgrader never reads or migrates it):

    assignment   text      e.g. "lecture3"
    student      text      nbgrader's student id
    notebook     text|NULL NULL: the row is about the whole submission; else one notebook's name
    status       text      one of STATUSES
    cause        text      why, in one line ("" for graded)
    content_hash text|NULL the submitted files' hash @ the course and grader they were graded under
    timestamp    text      ISO 8601 UTC time the row was written

At most one row exists per (assignment, student, notebook); `record` replaces it.

Meaning of the statuses:
- "graded": every notebook present was graded (per-student row), or this notebook was (notebook row);
- "not graded": grading was attempted and failed (cause says why: a dead worker, a version mismatch,
  nbgrader's error); for a notebook, its cells have no scores although it was submitted;
- "missing": the notebook was not submitted (notebook row), or nothing was (student row);
- "invalid": the submitted notebook (or submission) is not a readable notebook (empty, not JSON), or
  was refused (for example because it holds symlinks);
- "skipped": unchanged since its saved grade, so not graded again (the saved rows stay valid).

Writers: `grader autograde` (the coordinator, the gradebook's only writer during a class run), the
kernel launcher (refused submissions) and anything else may call `record`. Readers (exports, the score
table) call `read` and, for one line per student, `describe`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

STATUSES = ("graded", "not graded", "missing", "invalid", "skipped")
TABLE = "grader_status"

_metadata = sa.MetaData()
_table = sa.Table(
    TABLE, _metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("assignment", sa.String(128), nullable=False, index=True),
    sa.Column("student", sa.String(128), nullable=False),
    sa.Column("notebook", sa.String(128), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("cause", sa.Text, nullable=False, default=""),
    sa.Column("content_hash", sa.String(128), nullable=True),
    sa.Column("timestamp", sa.String(40), nullable=False),
)


class StatusError(ValueError):
    """A status that is not one of STATUSES, or an empty assignment or student id."""


@dataclass(frozen=True)
class Status:
    """One row of `grader_status`. `notebook` is None for the row about the whole submission."""
    assignment: str
    student: str
    notebook: str | None
    status: str
    cause: str
    content_hash: str | None
    timestamp: str


def _engine(db_url: str) -> sa.Engine:
    # SQLite: wait for another writer (nbgrader, a concurrent `record`) instead of failing at once.
    kwargs = {"connect_args": {"timeout": 60}} if db_url.startswith("sqlite") else {}
    engine = sa.create_engine(db_url, **kwargs)
    _metadata.create_all(engine, checkfirst=True)
    return engine


def _key(assignment: str, student: str, notebook: str | None):
    where = (_table.c.assignment == assignment) & (_table.c.student == student)
    return where & (_table.c.notebook.is_(None) if notebook is None else _table.c.notebook == notebook)


def _validate(assignment: str, student: str, status: str) -> None:
    if status not in STATUSES:
        raise StatusError(f"{TABLE}.status: got {status!r}; expected one of {', '.join(STATUSES)}")
    if not assignment or not student:
        raise StatusError(f"{TABLE}: assignment and student must be non-empty, got {assignment!r}, {student!r}")


def record(db_url: str, assignment: str, student: str, status: str, *, notebook: str | None = None,
           cause: str = "", content_hash: str | None = None, clear_student: bool = False) -> None:
    """Write one status row (replacing the row with the same assignment, student and notebook).

    `notebook=None` records the status of the whole submission. `clear_student=True` first deletes
    every row of this student and assignment (per-notebook rows included), in the same transaction,
    so a regrade leaves no stale notebook rows behind. Raises StatusError on an unknown status.
    """
    _validate(assignment, student, status)
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    engine = _engine(db_url)
    try:
        with engine.begin() as conn:
            if clear_student:
                conn.execute(_table.delete().where((_table.c.assignment == assignment)
                                                   & (_table.c.student == student)))
            else:
                conn.execute(_table.delete().where(_key(assignment, student, notebook)))
            conn.execute(_table.insert().values(assignment=assignment, student=student, notebook=notebook,
                                                status=status, cause=cause or "", content_hash=content_hash,
                                                timestamp=now))
    finally:
        engine.dispose()


def record_student(db_url: str, assignment: str, student: str, status: str, *, cause: str = "",
                   content_hash: str | None = None, notebooks: dict[str, tuple[str, str]] | None = None) -> None:
    """Replace all of a student's rows at once: the submission's row and one row per notebook.

    `notebooks` maps notebook name -> (status, cause). Everything is written in one transaction, so a
    reader never sees a half-updated student.
    """
    _validate(assignment, student, status)
    for name, (nb_status, _) in (notebooks or {}).items():
        if nb_status not in STATUSES:
            raise StatusError(f"{TABLE}.status of notebook {name!r}: got {nb_status!r}; "
                              f"expected one of {', '.join(STATUSES)}")
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    rows = [dict(assignment=assignment, student=student, notebook=None, status=status, cause=cause or "",
                 content_hash=content_hash, timestamp=now)]
    rows += [dict(assignment=assignment, student=student, notebook=name, status=s, cause=c or "",
                  content_hash=None, timestamp=now) for name, (s, c) in sorted((notebooks or {}).items())]
    engine = _engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(_table.delete().where((_table.c.assignment == assignment) & (_table.c.student == student)))
            conn.execute(_table.insert(), rows)
    finally:
        engine.dispose()


def read(db_url: str, assignment: str) -> list[Status]:
    """Every status row of `assignment`, sorted by student, then the submission's row before notebook rows.

    Returns [] when the database has no `grader_status` table yet (nothing recorded)."""
    engine = sa.create_engine(db_url)
    try:
        if not sa.inspect(engine).has_table(TABLE):
            return []
        with engine.connect() as conn:
            rows = conn.execute(sa.select(_table).where(_table.c.assignment == assignment)).all()
    finally:
        engine.dispose()
    out = [Status(r.assignment, r.student, r.notebook, r.status, r.cause, r.content_hash, r.timestamp) for r in rows]
    return sorted(out, key=lambda s: (s.student, s.notebook is not None, s.notebook or ""))


def describe(records: list[Status]) -> dict[str, str]:
    """One line per student for an export's status column, from `read`'s rows.

    "graded" when the submission and all its notebooks were graded; otherwise the submission's status
    followed by the notebooks that were not graded, e.g. "graded; missing: features; invalid: losses
    (empty file)" or "not graded: the worker died 3 times". "skipped" counts as graded (its saved grade
    stands)."""
    by_student: dict[str, list[Status]] = {}
    for r in records:
        by_student.setdefault(r.student, []).append(r)
    out = {}
    for student, rows in sorted(by_student.items()):
        head = next((r for r in rows if r.notebook is None), None)
        status = "graded" if head is None or head.status == "skipped" else head.status
        line = status + (f": {head.cause}" if head is not None and head.cause and status != "graded" else "")
        problems = [r for r in rows if r.notebook is not None and r.status not in ("graded", "skipped")]
        for r in problems:
            line += f"; {r.status}: {r.notebook}" + (f" ({r.cause})" if r.cause else "")
        out[student] = line
    return out
