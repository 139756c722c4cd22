"""Turns course.yaml into nbgrader configuration; called by the repository's nbgrader_config.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .course import CourseConfigError, load_course
from .grading import COURSE_ENV

SOURCE_DIRECTORY = "solutions"
RELEASE_DIRECTORY = "assignments"


def configure(c, course_file: str | Path) -> None:
    """Set nbgrader's config `c` from course.yaml. A broken course.yaml stops nbgrader with one line."""
    # traitlets logs and ignores exceptions raised while loading a config file, and nbgrader would
    # then run with its defaults: stop instead, with one line.
    try:
        _configure(c, Path(course_file).resolve())
    except CourseConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _configure(c, course_file: Path) -> None:
    course = load_course(course_file, source_directory=SOURCE_DIRECTORY)

    from nbgrader.converters import Autograde, GenerateAssignment
    from nbgrader.preprocessors import Execute

    from .preprocessors import ApplyCoursePoints, HoldBackTests, TrustedGrading
    from .sandbox.kernel import ContainedExecute

    c.CourseDirectory.root = str(course.root)
    c.CourseDirectory.course_id = course.course_id
    c.CourseDirectory.source_directory = SOURCE_DIRECTORY
    c.CourseDirectory.release_directory = RELEASE_DIRECTORY
    c.Execute.timeout = course.policy.cell_timeout_seconds
    c.ApplyCoursePoints.course_file = str(course_file)
    c.TrustedGrading.course_file = str(course_file)
    defaults = GenerateAssignment.class_traits()["preprocessors"].default()
    c.GenerateAssignment.preprocessors = [ApplyCoursePoints, *defaults]
    # generate_feedback: the page opens with one line per task (grader/feedback.py, nbgrader's template config).
    from .feedback import configure_feedback
    configure_feedback(c)
    # Autograde: the kernel runs the notebook without its hidden tests and with the course read-only;
    # the trusted step grades every test cell outside the kernel, before SaveAutoGrades reads the scores.
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    at = steps.index(Execute)
    c.Autograde.autograde_preprocessors = [*steps[:at], HoldBackTests, ContainedExecute, TrustedGrading,
                                           *steps[at + 1:]]
    # An empty or unreadable submitted notebook costs only its own cells, not the student's whole
    # assignment (see broken_notebooks.py).
    from .broken_notebooks import TolerantNotebookExporter
    c.Autograde.exporter_class = TolerantNotebookExporter
    # The kernel's container (see sandbox/kernel_container.py): the course's limits, and the data it may read.
    policy = course.policy
    c.ContainedKernelManager.memory_mb = policy.kernel_memory_mb
    c.ContainedKernelManager.processes = policy.kernel_processes
    c.ContainedKernelManager.cpu_seconds = policy.kernel_cpu_seconds
    c.ContainedKernelManager.file_mb = policy.kernel_file_mb
    c.ContainedKernelManager.disk_mb = policy.kernel_disk_mb
    shared = [*course.data.kernel_data, *([course.data.cifar10_dir] if course.data.cifar10_dir else [])]
    c.ContainedKernelManager.data_mounts = [[str(course.root / path), path] for path in shared]
    # Hidden tests read this course.yaml, never one a student could place beside a submission.
    os.environ[COURSE_ENV] = str(course_file)
    if _command() == "autograde":
        _exclude_refused_submissions(c, course)


def _command() -> str | None:
    """nbgrader's subcommand (`nbgrader autograde ...`), when this config is loaded by the nbgrader CLI."""
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    return args[0] if args and Path(sys.argv[0]).name.startswith("nbgrader") else None


_REPORTED: set[tuple[str, str]] = set()


def _exclude_refused_submissions(c, course) -> None:
    """Students whose submission holds a link, a special file or a hard link out of it are left out of
    the run, one line each in the log; nbgrader never opens, follows or copies their files."""
    from .submission_files import refusals

    from . import grading_status

    refused = {}
    for assignment in course.assignments:
        found = refusals(course.root, assignment)
        for student, why in found.items():
            if (assignment, student) in _REPORTED:     # nbgrader loads this config more than once per run
                continue
            _REPORTED.add((assignment, student))
            print(f"[grader] ERROR | student {student} is not graded: {why}", file=sys.stderr)
            # The status table says why this student has no scores (exports and the report show it).
            grading_status.record(f"sqlite:///{course.root / 'gradebook.db'}", assignment, student, "invalid",
                                  cause=why, clear_student=True)
        refused.update(found)
    if not refused:
        return
    already = [s for s in str(c.CourseDirectory.get("student_id_exclude", "") or "").split(",") if s]
    c.CourseDirectory.student_id_exclude = ",".join(sorted({*already, *refused}))
