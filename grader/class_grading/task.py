"""The Dask task: grade one student in a private scratch course on whichever worker runs it.

`grade_student(course, expected, student, files, extension)` takes only plain data and returns only
plain data (see `StudentResult`), so workers need no shared file system. It refuses (status "refused")
when the worker's own grader or the course it was sent differ from the coordinator's fingerprint.
It never writes anything outside its scratch folder, so running it twice (a retry after a dead worker)
is harmless: the coordinator keeps the first result it receives.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from . import warm_nbgrader
from .bundle import TEMPLATE_DB, read_tree, write_tree
from .fingerprint import course_hash, fingerprint

# One BLAS thread per grading process: a worker is one core, and nbgrader, its kernel and the grading
# worker inherit this environment.
PINNED_THREADS = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                          "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")}
LOG_FORMAT = "%(asctime)s.%(msecs)03d [%(name)s | %(levelname)s] %(message)s"
TRUSTED_LINE = re.compile(r"Trusted step: graded \d+ test cells of (\S+) outside the kernel in ([\d.]+) s")
STAMP = re.compile(r"^(\d\d:\d\d:\d\d\.\d\d\d) \[[^]]*\] (.*)$")

COURSE_MARK = "<course>"
# Start nbgrader through the preloaded forkserver (see warm_nbgrader); GRADER_COLD_NBGRADER=1 turns it off.
WARM = os.environ.get("GRADER_COLD_NBGRADER") != "1"
_courses: dict[str, Path] = {}
_grader_part: str | None = None  # fingerprint -> this worker process's unpacked course (template included)


def _course_dir(course: dict[str, bytes], version: str) -> Path:
    """Unpack the course once per worker process and fingerprint; later tasks copy from it."""
    if version not in _courses:
        root = Path(tempfile.mkdtemp(prefix="grader-course-"))
        atexit.register(shutil.rmtree, root, True)
        write_tree(root, course)
        _courses[version] = root
    return _courses[version]


def _worker_fingerprint(course: dict[str, bytes]) -> str:
    """This worker's fingerprint for `course`. The grader's part is taken once per worker process: the
    code this process (and its preloaded forkserver) runs is the code it had when it first graded."""
    global _grader_part
    if _grader_part is None:
        _grader_part = fingerprint(course).split("/", 1)[1]
    return f"course:{course_hash(course)[:12]}/{_grader_part}"


def _worker_address() -> str | None:
    """This Dask worker's address, or None outside a worker (a direct call)."""
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return None


def _env() -> dict[str, str]:
    env = dict(os.environ, **PINNED_THREADS)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def _die_with_parent() -> None:
    # A worker killed with SIGKILL must not leave its nbgrader run grading on: Linux sends it SIGKILL too.
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except OSError:
        pass


def phases(log: str, launched: datetime | None = None) -> dict[str, float]:
    """Seconds spent per phase, from nbgrader's time-stamped log lines: 'start' (from `launched`, the
    process start, or else the first log line, to the first notebook) and, summed over notebooks,
    'sanitize', 'kernel' (kernel start and execution) and 'trusted' (the trusted step's own figure)."""
    events = []
    for line in log.splitlines():
        m = STAMP.match(line)
        if m:
            h, mi, s = m.group(1).split(":")
            events.append((int(h) * 3600 + int(mi) * 60 + float(s), m.group(2)))
    if not events:
        return {}
    out = {"sanitize": 0.0, "kernel": 0.0, "trusted": 0.0}
    first_nb = next((t for t, msg in events if msg.startswith("Sanitizing ")), events[-1][0])
    origin = events[0][0]
    if launched is not None:
        origin = launched.hour * 3600 + launched.minute * 60 + launched.second + launched.microsecond / 1e6
    out["start"] = first_nb - origin
    mark, phase, trusted_here = None, None, 0.0
    for t, msg in events:
        if msg.startswith("Sanitizing ") or msg.startswith("Autograding "):
            if phase == "kernel":
                out["kernel"] += t - mark - trusted_here
            elif phase == "sanitize":
                out["sanitize"] += t - mark
            mark, phase, trusted_here = t, ("sanitize" if msg.startswith("Sanitizing ") else "kernel"), 0.0
        m = TRUSTED_LINE.search(msg)
        if m:
            trusted_here = float(m.group(2))
            out["trusted"] += trusted_here
    if phase == "kernel":
        out["kernel"] += events[-1][0] - mark - trusted_here
    return out


def _records(db_url: str, assignment: str, student: str) -> dict | None:
    """What nbgrader's autograde wrote for the student, as plain data (None: no submission row)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url) as gb:
        try:
            sub = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        notebooks = {}
        for nb in sub.notebooks:
            notebooks[nb.name] = {
                "late_submission_penalty": nb.late_submission_penalty,
                "flagged": nb.flagged,
                "grades": {g.name: {"auto_score": g.auto_score, "needs_manual_grade": g.needs_manual_grade}
                           for g in nb.grades},
                "comments": {c.name: {"auto_comment": c.auto_comment} for c in nb.comments},
            }
        return {"timestamp": sub.timestamp.isoformat() if sub.timestamp else None, "notebooks": notebooks}


def _status_rows(db_url: str, assignment: str, student: str) -> list[dict]:
    from .. import grading_status

    return [r.__dict__ for r in grading_status.read(db_url, assignment) if r.student == student]


def grade_student(course: dict[str, bytes], expected: str, assignment: str, student: str,
                  files: dict[str, bytes], extension_seconds: float | None = None) -> dict:
    """Grade `student`'s submission `files` (submitted/<student>/<assignment>/ as a bundle) with real
    `nbgrader autograde` in a scratch copy of `course`, and return a StudentResult dict:

        student, worker, status ("graded" | "failed" | "refused"), cause (one line),
        autograded: {relative path: bytes} of autograded/<student>/<assignment>/ (None unless graded),
        modes: {relative path: file mode}, records: see `_records` (None when nbgrader wrote none),
        status_rows: grading_status rows nbgrader's run recorded for the student,
        log: nbgrader's log, returncode, seconds: {"setup", "nbgrader", "collect", + `phases(log)`}.
    """
    t0 = time.perf_counter()
    worker = f"{socket.gethostname()}:{os.getpid()}"
    address = _worker_address()
    version = _worker_fingerprint(course)
    base = {"student": student, "worker": worker, "address": address, "autograded": None, "modes": {}, "records": None,
            "status_rows": [], "log": "", "returncode": None, "seconds": {}}
    if version != expected:
        return {**base, "status": "refused",
                "cause": f"worker {worker} refused: its course/grader {version} differs from the "
                         f"coordinator's {expected}"}
    template = _course_dir(course, version)
    scratch = Path(tempfile.mkdtemp(prefix=f"grader-{student}-"))
    try:
        shutil.copytree(template, scratch, dirs_exist_ok=True)
        db_url = f"sqlite:///{scratch / TEMPLATE_DB}"
        if extension_seconds is not None:
            _grant_extension(db_url, assignment, student, extension_seconds)
        write_tree(scratch / "submitted" / student / assignment, files)
        t1 = time.perf_counter()
        exe = Path(sys.executable).with_name("nbgrader")
        cmd = [str(exe) if exe.exists() else "nbgrader", "autograde", assignment, "--student", student,
               f"--NbGrader.log_format={LOG_FORMAT}", "--NbGrader.log_datefmt=%H:%M:%S"]
        os.environ.update(PINNED_THREADS)  # before the forkserver starts and imports numpy
        launched = datetime.now()
        warm = warm_nbgrader.run(scratch, cmd[1:], _env()) if WARM else None
        if warm is None:
            proc = subprocess.run(cmd, cwd=scratch, env=_env(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, preexec_fn=_die_with_parent,
                                  # A Ctrl-C at the coordinator's terminal is the coordinator's to handle:
                                  # it must not cancel a grading whose result may still be written.
                                  start_new_session=True)
            warm = (proc.returncode, proc.stdout)
        returncode, output = warm
        t2 = time.perf_counter()
        out_dir = scratch / "autograded" / student / assignment
        graded = returncode == 0 and out_dir.is_dir()
        autograded = read_tree(out_dir) if out_dir.is_dir() else None
        modes = {rel: (out_dir / rel).stat().st_mode & 0o777 for rel in autograded or {}}
        log = output.replace(str(scratch), COURSE_MARK)  # the coordinator puts its own root back
        result = {**base, "log": log, "returncode": returncode,
                  "status": "graded" if graded else "failed",
                  "cause": "" if graded else _failure_cause(log, returncode),
                  "autograded": autograded if graded else None, "modes": modes,
                  "records": _records(db_url, assignment, student),
                  "status_rows": _status_rows(db_url, assignment, student)}
        t3 = time.perf_counter()
        seconds = {"setup": t1 - t0, "nbgrader": t2 - t1, "collect": t3 - t2, **phases(log, launched)}
        # After the last notebook: nbgrader's own wrap-up, the kernel's shutdown and the process exit.
        seconds["finish"] = max(0.0, seconds["nbgrader"] - sum(seconds.get(k, 0.0) for k in
                                                               ("start", "sanitize", "kernel", "trusted")))
        if warm_nbgrader.last_cpu_seconds is not None:
            seconds["cpu"] = warm_nbgrader.last_cpu_seconds
        result["seconds"] = seconds
        return result
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _grant_extension(db_url: str, assignment: str, student: str, seconds: float) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        gb.update_or_create_student(student)
        gb.update_or_create_submission(assignment, student)
        gb.grant_extension(assignment, student, minutes=seconds / 60)


def _failure_cause(log: str, code: int) -> str:
    """The exception nbgrader's traceback ends with, else its most telling error line, else the exit code."""
    lines = log.splitlines()
    for i, line in enumerate(lines):
        if "Traceback (most recent call last)" in line:
            tail = next((t for t in lines[i + 1:] if t and not t.startswith((" ", "\t"))), "")
            if tail:
                return tail.strip()[:300]
    errors = [line.split("] ", 1)[-1] for line in log.splitlines() if "| ERROR]" in line]
    useful = [e for e in errors if not e.startswith(("There was an error processing assignment",
                                                     "Please see the", "Traceback"))]
    return (useful or errors or [f"nbgrader autograde exited with code {code}"])[0].strip()[:300]

