"""The coordinator of `grader autograde`: plan, send one Dask task per student, write results, report.

Contract: after `grade_class` returns or is interrupted, every student is either fully written (the
gradebook rows, `autograded/<student>/<assignment>/` and the grading_status rows) or untouched.
Students whose submission (its files' content hash and nbgrader's timestamp) is unchanged since their
saved grade are skipped unless `force`.
"""

from __future__ import annotations

import os
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .. import grading_status
from ..submission_files import student_problem
from .bundle import TEMPLATE_DB, content_hash, course_files, submission_files
from .fingerprint import fingerprint
from .progress import Reporter, Tally, notable_lines, summary_lines
from .store import deferred_interrupt, store_result
from .task import COURSE_MARK, PINNED_THREADS, grade_student
from .template import build_template

# A task whose worker dies is given to another worker this many more times (Dask's allowed-failures).
RETRIES = 2


class ClassRunError(RuntimeError):
    """The run cannot start: a one-line reason naming the file or option and what was expected."""


@dataclass
class Options:
    assignment: str
    jobs: int | None = None              # LocalCluster workers; None: one per core
    scheduler: str | None = None         # an existing cluster's address instead
    students: list[str] | None = None    # None: everyone under submitted/
    force: bool = False
    log_file: Path | None = None         # default: <course>/autograde.log
    retries: int = RETRIES


@dataclass
class Planned:
    student: str
    files: dict[str, bytes]
    content_hash: str
    extension_seconds: float | None


def submitted_students(course_root: Path, assignment: str) -> list[str]:
    base = course_root / "submitted"
    return sorted(p.name for p in base.iterdir() if (p / assignment).is_dir()) if base.is_dir() else []


def _saved(db_url: str, course_id: str, assignment: str) -> tuple[dict, dict, dict]:
    """From the gradebook: student -> saved content hash (graded only), submission timestamp, extension."""
    from nbgrader.api import Gradebook, MissingEntry

    hashes = {r.student: r.content_hash for r in grading_status.read(db_url, assignment)
              if r.notebook is None and r.status == "graded"}
    stamps, extensions = {}, {}
    with Gradebook(db_url, course_id) as gb:
        try:
            subs = gb.find_assignment(assignment).submissions
        except MissingEntry:
            subs = []
        for sub in subs:
            stamps[sub.student.id] = sub.timestamp
            if sub.extension is not None:
                extensions[sub.student.id] = sub.extension.total_seconds()
    return hashes, stamps, extensions


def _timestamp(files: dict[str, bytes]):
    """nbgrader's reading of timestamp.txt (naive UTC), or None."""
    from nbgrader.utils import parse_utc

    raw = files.get("timestamp.txt")
    try:
        return parse_utc(raw.decode().strip()) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None


def saved_hash(submission_hash: str, version: str) -> str:
    """What the status row keeps for a graded student: the submission's content hash and the course and
    grader it was graded under, so that a rerun after course.yaml, the solutions or the grader change
    regrades everyone instead of keeping grades the changed course would not give."""
    return f"{submission_hash}@{version}"


def plan(course_root: Path, db_url: str, course_id: str, opts: Options,
         refused: dict[str, str], version: str) -> tuple[list[Planned], list[str]]:
    """(students to grade, students skipped as unchanged: same files, same timestamp, graded under the same
    course and grader `version`); fills `refused` (student -> cause) with submissions holding links or
    special files, which are not graded."""
    everyone = submitted_students(course_root, opts.assignment)
    if opts.students:
        unknown = [s for s in opts.students if s not in everyone]
        if unknown:
            raise ClassRunError(f"--student {unknown[0]}: no folder submitted/{unknown[0]}/{opts.assignment}; "
                                f"expected one of {', '.join(everyone[:10]) or '(none)'}")
        everyone = [s for s in everyone if s in opts.students]
    hashes, stamps, extensions = _saved(db_url, course_id, opts.assignment)
    todo, skipped = [], []
    for student in everyone:
        why = student_problem(course_root, student, opts.assignment)
        if why:     # never read: a link could bundle the solutions, the gradebook or a peer's work
            refused[student] = why
            continue
        files = submission_files(course_root, student, opts.assignment)
        digest = saved_hash(content_hash(files), version)
        unchanged = (hashes.get(student) == digest and student in stamps and stamps[student] == _timestamp(files)
                     and (course_root / "autograded" / student / opts.assignment).is_dir())
        if unchanged and not opts.force:
            skipped.append(student)
        else:
            todo.append(Planned(student, files, digest, extensions.get(student)))
    return todo, skipped


@contextmanager
def dask_client(jobs: int | None, scheduler: str | None, retries: int):
    """A distributed Client: on an existing scheduler, or on a LocalCluster of `jobs` single-threaded
    worker processes (one per core by default) on 127.0.0.1 with BLAS pinned to one thread."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="30s") as client:
            yield client
        return
    n = jobs or os.cpu_count() or 1
    with dask.config.set({"distributed.scheduler.allowed-failures": retries,
                          "distributed.worker.daemon": False,
                          "distributed.nanny.pre-spawn-environ": PINNED_THREADS}):
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None, silence_logs=40, memory_limit=0) as cluster:
            with Client(cluster) as client:
                yield client


def _detail(result: dict) -> str:
    s = result.get("seconds", {})
    where = result.get("worker", "")
    return f"{s.get('nbgrader', 0.0):.1f} s on {where}" if s else where


def grade_class(course_root: Path, opts: Options, console, *, bar: bool | None = None,
                client_factory=None) -> Tally:
    """Grade the class; returns the tally (raises KeyboardInterrupt after a clean stop on Ctrl-C)."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    from ..course import CourseConfigError, load_course

    course_root = course_root.resolve()
    try:
        course = load_course(course_root / "course.yaml")
    except CourseConfigError as exc:
        raise ClassRunError(str(exc)) from None
    if opts.assignment not in course.assignments:
        raise ClassRunError(f"course.yaml: assignments: no {opts.assignment!r}; expected one of "
                            f"{', '.join(course.assignments)}")
    if opts.jobs is not None and opts.jobs < 1:
        raise ClassRunError(f"--jobs {opts.jobs}: expected a whole number of workers, at least 1")
    notebooks = list(course.assignments[opts.assignment].notebooks)
    db_url = f"sqlite:///{course_root / 'gradebook.db'}"
    log_path = opts.log_file or course_root / "autograde.log"
    with tempfile.TemporaryDirectory(prefix="grader-template-") as tmp:
        template = build_template(db_url, opts.assignment, Path(tmp) / TEMPLATE_DB)
    bundle = {**course_files(course_root), TEMPLATE_DB: template}
    version = fingerprint(bundle)
    refused: dict[str, str] = {}
    todo, skipped = plan(course_root, db_url, course.course_id, opts, refused, version)
    tally = Tally(total=len(todo) + len(refused), skipped=skipped)
    by_student = {p.student: p for p in todo}
    with open(log_path, "a", encoding="utf-8") as log, \
            Reporter(console, tally, sys_isatty() if bar is None else bar) as reporter:
        log.write(f"=== grader autograde {opts.assignment} at {datetime.now().isoformat(timespec='seconds')}: "
                  f"{len(todo)} to grade, {len(skipped)} skipped as unchanged, {version}\n")
        for student, cause in refused.items():
            with deferred_interrupt():
                grading_status.record(db_url, opts.assignment, student, "invalid", cause=cause, clear_student=True)
            tally.not_graded[student] = cause
            log.write(f"--- {student}: invalid {cause}\n")
            reporter.student(student, "invalid", cause, [])
        if not todo:
            return tally
        with (client_factory or dask_client)(opts.jobs, opts.scheduler, opts.retries) as client:
            shared = client.scatter([bundle], broadcast=True)[0]  # once per worker, not once per task
            def submit(p: Planned, priority: int, **where):
                future = client.submit(grade_student, shared, version, opts.assignment, p.student, p.files,
                                       p.extension_seconds, key=f"grade-{p.student}-{time.time_ns()}",
                                       pure=False, priority=priority, **where)
                student_of[future.key] = p.student
                futures.append(future)
                return future

            student_of: dict[str, str] = {}
            futures: list = []
            for i, p in enumerate(todo):
                submit(p, -i)
            refused_by: dict[str, set[str]] = {}
            pending = as_completed(list(futures))
            try:
                for future in pending:
                    student = student_of[future.key]
                    try:
                        result = future.result()
                        if result["status"] == "refused" and result.get("address"):
                            # Another worker may have the right version: try each of them once.
                            refused_by.setdefault(student, set()).add(result["address"])
                            others = [w for w in client.scheduler_info()["workers"] if w not in refused_by[student]]
                            if others:
                                log.write(f"--- {student}: {result['cause']}; sent to another worker\n")
                                pending.add(submit(by_student[student], 0, workers=others, allow_other_workers=False))
                                continue
                    except KilledWorker:
                        times = ("more times than the scheduler's allowed-failures" if opts.scheduler
                                 else "once" if opts.retries == 0 else f"{opts.retries + 1} times")
                        result = {"student": student, "status": "failed", "records": None,
                                  "cause": f"its Dask worker died {times} (killed or out of memory)"}
                    except Exception as exc:  # noqa: BLE001 (any task error is this student's cause)
                        result = {"student": student, "status": "failed", "records": None,
                                  "cause": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}
                    for field in ("log", "cause"):
                        if result.get(field):
                            result[field] = result[field].replace(COURSE_MARK, str(course_root))
                    planned = by_student[student]
                    written = time.perf_counter()
                    status, cause = store_result(course_root, db_url, course.course_id, opts.assignment, notebooks,
                                                 result, planned.files, planned.content_hash)
                    result.setdefault("seconds", {})["write"] = time.perf_counter() - written
                    if status == "graded":
                        tally.graded.append(student)
                    else:
                        tally.not_graded[student] = cause
                    tally.seconds[student] = result.get("seconds", {})
                    log.write(f"--- {student}: {status} {cause} on {result.get('worker', '?')} "
                              f"{result.get('seconds', {})}\n{result.get('log', '')}\n")
                    log.flush()
                    reporter.student(student, status, cause or _detail(result), notable_lines(result.get("log", "")))
            except KeyboardInterrupt:
                tally.interrupted = True
                client.cancel(futures)
                raise
    return tally


def sys_isatty() -> bool:
    import sys

    return sys.stdout.isatty()


def report(console, tally: Tally) -> None:
    for line in summary_lines(tally):
        console.print(line, highlight=False, soft_wrap=True)
