"""`grader`: what the project adds to plain nbgrader (it never replaces nbgrader's commands)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console

from .course import CourseConfigError, load_course


def _console() -> Console:
    # A wide table stays readable when the output is a log file rather than a terminal.
    return Console(width=None if sys.stdout.isatty() else 140)


def cmd_check_course(args) -> int:
    course = load_course(Path(args.course))
    n_tasks = sum(len(nb.tasks) for _, nb in course.notebooks())
    n_cells = sum(len(nb.graded_cells) for _, nb in course.notebooks())
    print(f"{args.course}: OK ({len(course.assignments)} assignments, {n_tasks} tasks, {n_cells} graded cells)")
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo

    repo = Path(args.course).resolve().parent
    return run_demo(repo, Path(args.dir).resolve(), _console())


def cmd_scores(args) -> int:
    from .scores import gradebook_scores, score_table

    course = load_course(Path(args.course))
    db = Path(args.gradebook).resolve()
    if not db.is_file():
        print(f"error: {args.gradebook}: expected an nbgrader gradebook; run `nbgrader autograde` first", file=sys.stderr)
        return 2
    rows = gradebook_scores(course, args.assignment, f"sqlite:///{db}")
    _console().print(score_table(course, args.assignment, rows))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader", description=__doc__)
    parser.add_argument("--course", default="course.yaml", help="the course file (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check-course", help="validate course.yaml against the notebooks in solutions/")
    p.set_defaults(func=cmd_check_course)
    p = sub.add_parser("demo", help="grade a small demo class with real nbgrader and print its scores")
    p.add_argument("--dir", default="build/demo", help="the demo course directory, recreated (default: %(default)s)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("scores", help="print per-student, per-task scores from the gradebook")
    p.add_argument("assignment", nargs="?", default="lecture3")
    p.add_argument("--gradebook", default="gradebook.db")
    p.set_defaults(func=cmd_scores)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CourseConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
