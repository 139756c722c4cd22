"""`grader autograde`: the command line of the class runner (see runner.grade_class)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..course_assignment import ASSIGNMENT_HELP

HELP = ("grade every submission under submitted/ into the course's gradebook, one Dask task per student "
        "(the same result as `nbgrader autograde`); unchanged submissions are skipped unless --force")


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of workers, at least 1; got {value!r}")
    return n


def add_parser(sub) -> None:
    p = sub.add_parser("autograde", help=HELP, description=HELP)
    p.add_argument("assignment", nargs="?", help=ASSIGNMENT_HELP)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=_workers, help="local Dask workers, one process each (default: one per core)")
    where.add_argument("--scheduler", metavar="ADDRESS", help="grade on an existing Dask cluster, e.g. tcp://host:8786")
    p.add_argument("--student", action="append", metavar="ID", help="only this student (repeatable)")
    p.add_argument("--force", action="store_true", help="regrade students whose submission is unchanged")
    p.add_argument("--log", type=Path, help="nbgrader's full logs (default: autograde.log beside course.yaml)")
    p.set_defaults(func=run)


def _only_assignment(course_yaml: Path) -> str:
    """course.yaml's only assignment (a CourseConfigError, shown in one line, if it lists several).
    The course is the one the runner grades, which checks a named assignment itself."""
    from ..course import load_course
    from ..course_assignment import chosen_assignment

    return chosen_assignment(load_course(course_yaml), None, "autograde")


def run(args) -> int:
    from rich.console import Console

    from .runner import ClassRunError, Options, grade_class, report
    from .template import TemplateError

    course_file = Path(args.course).resolve()
    console = Console(width=None if sys.stdout.isatty() else 140)
    assignment = args.assignment or _only_assignment(course_file.parent / "course.yaml")
    opts = Options(assignment, jobs=args.jobs, scheduler=args.scheduler, students=args.student,
                   force=args.force, log_file=args.log)
    tally = None
    try:
        tally = grade_class(course_file.parent, opts, console)
    except (ClassRunError, TemplateError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: every student is either fully graded or untouched; run again to resume",
              file=sys.stderr)
        return 130
    report(console, tally)
    return 1 if tally.not_graded else 0
