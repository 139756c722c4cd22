"""`grade(grade_id, answer)`: what a hidden test cell calls.

It finds the cell's check in course.yaml, runs it on the answer with the course's policy, prints the
feedback and returns the score as the cell's last expression (nbgrader's partial credit). Whatever the
student's code prints or warns is captured and reported as text: nbgrader scores any stderr output
of a test cell as zero, so nothing may reach stderr. Only warnings whose origin is the student's code
are reported (never the grader's, nor the garbage collector's ResourceWarnings), and memory
addresses are masked, so the same code always gets the same feedback, word for word.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np

from .answers import as_answer, grading
from .checks.registry import get_basic_case, get_check
from .course import Course, CourseConfigError, load_course
from .outcome import CheckContext, Outcome, Result, message_of
from .sandbox.worker import MAX_WARNINGS, START_SEED, UNREPORTED_WARNINGS, without_addresses

COURSE_ENV = "GRADER_COURSE_FILE"
MAX_CAPTURED = 1500


def find_course_file(start: Path | None = None) -> Path:
    """The course.yaml nbgrader's process named (set by nbgrader_config.py), else the nearest one
    above the working directory (autograded/<student>/<assignment>/ sits three levels below it)."""
    named = os.environ.get(COURSE_ENV)
    if named:
        return Path(named)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "course.yaml").is_file():
            return folder / "course.yaml"
    raise CourseConfigError(f"course.yaml: expected a course.yaml in {here} or a folder above it")


@lru_cache(maxsize=4)
def _course(path: Path, mtime: float) -> Course:
    return load_course(path, check_notebooks=False)


def load_course_cached(path: Path) -> Course:
    """course.yaml at `path`, read again only when the file changes."""
    return _course(path, path.stat().st_mtime)


def current_course() -> Course:
    return load_course_cached(find_course_file())


@contextlib.contextmanager
def _stderr_fd_captured():
    """Send file descriptor 2 to a temporary file: C code and os.write(2, ...) bypass sys.stderr, and
    the kernel forwards that descriptor to the cell's stderr stream."""
    try:
        fd = sys.__stderr__.fileno() if sys.__stderr__ else 2
        saved = os.dup(fd)
    except (OSError, ValueError, AttributeError):
        yield lambda: ""
        return
    with tempfile.TemporaryFile(mode="w+b") as sink:
        os.dup2(sink.fileno(), fd)
        try:
            yield lambda: (sink.seek(0), sink.read().decode("utf-8", "replace"))[1]
        finally:
            os.dup2(saved, fd)
            os.close(saved)


_GRADER_DIR = str(Path(__file__).resolve().parent) + os.sep
_STUDENT_CODE_IN_GRADER = _GRADER_DIR + "corpus" + os.sep   # the corpus's answers are student code


def _library_dirs() -> tuple[str, ...]:
    """Where the standard library and installed packages live, as the import system names them."""
    import site
    import sysconfig

    dirs = {sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs |= set(site.getsitepackages()) | {site.getusersitepackages(), str(Path(np.__file__).parents[1])}
    dirs |= {os.path.realpath(d) for d in dirs if d}
    return tuple(sorted(d.rstrip(os.sep) + os.sep for d in dirs if d))


_LIBRARY_DIRS = _library_dirs()


@lru_cache(maxsize=4096)
def code_kind(filename: str) -> str:
    """"grader", "library" (looked through) or "student", by where a frame's code comes from."""
    if filename.startswith(_GRADER_DIR) and not filename.startswith(_STUDENT_CODE_IN_GRADER):
        return "grader"
    if filename.startswith(_LIBRARY_DIRS) or filename.startswith("<frozen"):
        return "library"
    return "student"


def caused_by_student(frame) -> bool:
    """Whether the code that raised a warning, looking through library code (numpy warning about
    what it was passed), is the student's rather than the grader's. A warning with no student code
    between it and the grader (the checks, the references, Hypothesis, the garbage collector
    finalizing a grader object) is not the student's and is not reported."""
    while frame is not None:
        kind = code_kind(frame.f_code.co_filename)
        if kind != "library":
            return kind == "student"
        frame = frame.f_back
    return False


class _StudentWarnings:
    """Records, as "Category: message", the warnings the student's code causes."""

    def __init__(self):
        self.messages: set[str] = set()

    def showwarning(self, message, category, filename, lineno, file=None, line=None) -> None:
        if len(self.messages) < MAX_WARNINGS and caused_by_student(sys._getframe(1)):
            self.messages.add(f"{category.__name__}: {message}")


def run_check(course: Course, grade_id: str, answer) -> tuple[Outcome, str, list[str]]:
    """Run the check of test cell `grade_id` on `answer` (a plain value, a function of this process,
    or a stand-in for the student's code in the grading worker); returns the outcome, captured output
    and the warnings the student's code raised."""
    answer = as_answer(answer)   # a plain function as a LocalAnswer: the checks see one interface
    cell = course.test_cell(grade_id)
    ctx = CheckContext(course.policy, dict(cell.params), course.data, course.root)
    outcome = Outcome(grade_id, cell.points)
    out = io.StringIO()
    recorder = _StudentWarnings()
    with _stderr_fd_captured() as fd_text, contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), \
            warnings.catch_warnings(), \
            np.errstate(divide="warn", over="warn", invalid="warn", under="ignore"), grading(answer, START_SEED):
        warnings.simplefilter("always")
        for category in UNREPORTED_WARNINGS:
            warnings.filterwarnings("ignore", category=category)
        warnings.showwarning = recorder.showwarning
        try:
            basic = get_basic_case(cell.check)
            if basic is not None:
                outcome.basic = basic.run(answer, ctx)
            if not outcome.gated:
                for result in get_check(cell.check)(answer, ctx):
                    outcome.results.append(result)
        except Exception as exc:  # a defect of the check itself: never a student's fault
            outcome.results.append(Result("the check ran", False, expected="no error in the grader",
                                          got=f"{type(exc).__name__}: {message_of(exc)}",
                                          cause="a grader defect: please tell your instructor"))
        printed = out.getvalue() + fd_text()
    return outcome, printed, sorted(recorder.messages)


def feedback_text(outcome: Outcome, printed: str, messages: list[str]) -> str:
    """The outcome's report, with what the student's code printed or warned as notes; memory
    addresses (in a printed object, in an exception's message) masked."""
    printed = without_addresses(printed)   # before cutting: the cut then falls at the same place
    if printed.strip():
        text = printed if len(printed) <= MAX_CAPTURED else printed[:MAX_CAPTURED] + "\n[... cut]"
        outcome.notes.append("Your code printed (captured, not an error):\n" + text.rstrip())
    if messages:
        outcome.notes.append("Warnings raised while checking your code (captured): " + "; ".join(messages[:5]))
    return without_addresses(outcome.report())


def grade(grade_id: str, answer) -> float:
    """Grade `answer` with the check course.yaml gives test cell `grade_id`; print the feedback and
    return the score in [0, points]. (In `nbgrader autograde`, TrustedGrading runs the same checks
    outside the student's kernel instead.)"""
    outcome, printed, messages = run_check(current_course(), grade_id, answer)
    sys.stdout.write(feedback_text(outcome, printed, messages) + "\n")
    return outcome.score
