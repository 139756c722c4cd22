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
    from .sandbox.kernel import ReadOnlyExecute

    c.CourseDirectory.root = str(course.root)
    c.CourseDirectory.course_id = course.course_id
    c.CourseDirectory.source_directory = SOURCE_DIRECTORY
    c.CourseDirectory.release_directory = RELEASE_DIRECTORY
    c.Execute.timeout = course.policy.cell_timeout_seconds
    c.ApplyCoursePoints.course_file = str(course_file)
    defaults = GenerateAssignment.class_traits()["preprocessors"].default()
    c.GenerateAssignment.preprocessors = [ApplyCoursePoints, *defaults]
    # generate_feedback: the page opens with one line per task (grader/feedback.py, nbgrader's template config).
    from .feedback import configure_feedback
    configure_feedback(c)
    # Autograde: the kernel runs the notebook without its hidden tests and with the course read-only;
    # the trusted step grades every test cell outside the kernel, before SaveAutoGrades reads the scores.
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    at = steps.index(Execute)
    c.Autograde.autograde_preprocessors = [*steps[:at], HoldBackTests, ReadOnlyExecute, TrustedGrading,
                                           *steps[at + 1:]]
    # An empty or unreadable submitted notebook costs only its own cells, not the student's whole
    # assignment (see broken_notebooks.py).
    from .broken_notebooks import TolerantNotebookExporter
    c.Autograde.exporter_class = TolerantNotebookExporter
    # The kernel inherits nbgrader's environment: hidden tests read this course.yaml, never one a
    # student could place beside a submission.
    os.environ[COURSE_ENV] = str(course_file)
