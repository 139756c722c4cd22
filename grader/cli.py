"""`grader`: what the project adds to plain nbgrader (it never replaces nbgrader's commands)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from .course import CourseConfigError, load_course
from .course_assignment import ASSIGNMENT_HELP, chosen_assignment, known_assignment


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
    from .results import load_class
    from .scores import class_table, find_task, scores_csv, task_table

    found_inputs = _course_and_gradebook(args)
    if found_inputs is None:
        return 2
    course, url = found_inputs
    spec = course.assignments[args.assignment]
    found = None
    if args.task:
        found = next(((nb, nb_spec.tasks[args.task]) for nb, nb_spec in spec.notebooks.items()
                      if args.task in nb_spec.tasks), None)
        if found is None:
            tasks = [t for nb in spec.notebooks.values() for t in nb.tasks]
            print(f"error: --task {args.task}: expected one of {', '.join(tasks)}", file=sys.stderr)
            return 2
    # Scores come from the gradebook alone; a task's likely causes from its notebook's stored outcomes.
    results = load_class(course, args.assignment, url, course.root, outcomes={found[0]} if found else False)
    if args.csv:
        sys.stdout.write(scores_csv(results, args.task))
    elif found:
        _console().print(task_table(results, *find_task(results, args.task)))
    else:
        console = _console()
        console.print(class_table(results, console.width))
    return 0


def _course_and_gradebook(args):
    """(course, gradebook URL) for a command on `args.assignment` (set to course.yaml's only assignment
    when none is named), or None after a one-line error."""
    course = load_course(Path(args.course))
    args.assignment = chosen_assignment(course, args.assignment, args.command)
    url = _gradebook_url(args)
    return None if url is None else (course, url)


def _gradebook_url(args) -> str | None:
    db = Path(args.gradebook).resolve()
    if not db.is_file():
        print(f"error: {args.gradebook}: expected an nbgrader gradebook; run `nbgrader autograde` first",
              file=sys.stderr)
        return None
    return f"sqlite:///{db}"


def cmd_report(args) -> int:
    from .report import write_report
    from .results import load_class

    found_inputs = _course_and_gradebook(args)
    if found_inputs is None:
        return 2
    course, url = found_inputs
    results = load_class(course, args.assignment, url, course.root)
    size = write_report(results, args.out)
    print(f"report: {Path(args.out).resolve()} ({size / 1024:.0f} KB, {len(results.students)} students)")
    return 0


def cmd_export(args) -> int:
    from .exporters import canvas_csv, long_csv, read_roster, write_gradescope
    from .results import load_class

    course = load_course(Path(args.course))
    names = [known_assignment(course, a) for a in args.assignment] or list(course.assignments)
    if args.roster and args.format != "canvas":
        print("error: --roster maps students to Canvas: it goes with --format canvas", file=sys.stderr)
        return 2
    url = _gradebook_url(args)
    if url is None:
        return 2
    classes = [load_class(course, a, url, course.root) for a in names]
    default = {"canvas": "canvas.csv", "gradescope": "gradescope", "long": "grades_long.csv"}[args.format]
    out = Path(args.out or default)
    if args.format == "gradescope":
        if len(classes) != 1:
            print("error: --format gradescope: name one assignment (one results.json per student)", file=sys.stderr)
            return 2
        report = write_gradescope(classes[0], out)
        print(f"gradescope: {len(report.written)} results.json files under {out}")
    elif args.format == "canvas":
        text, report = canvas_csv(classes, read_roster(Path(args.roster)) if args.roster else None)
        out.write_text(text, encoding="utf-8")
        print(f"canvas: {out} ({text.count(chr(10)) - 2} students)")
    else:
        text = long_csv(classes)
        out.write_text(text, encoding="utf-8")
        print(f"long: {out} ({text.count(chr(10)) - 1} rows)")
        return 0
    for s in report.unmatched_students:
        print(f"warning: {s} is not on the roster: left out of the export", file=sys.stderr)
    for s in report.roster_without_grades:
        print(f"warning: roster student {s} has no grades in the gradebook", file=sys.stderr)
    for s, why in report.not_graded.items():
        print(f"warning: {s} is not graded ({why}): exported without a score", file=sys.stderr)
    return 0


def _corpus_tables(result, console, *, all_entries: bool) -> None:
    """The entries (all, or only those that went wrong) and the kill summary per function."""
    from rich.table import Table

    colour = {"killed": "green", "passes": "green", "earns nothing": "green", "survived": "red", "failed": "red",
              "isolation defect": "red", "earns points": "red", "not graded": "red"}
    shown = [e for e in result.entries if all_entries or not e.ok]
    if shown:
        table = Table(title="corpus: one submission per entry" if all_entries else "corpus entries that went wrong")
        for col in ("entry", "kind", "function", "points lost (earned)", "on which cells", "verdict"):
            table.add_column(col, justify="right" if col.startswith("points") else "left")
        for e in shown:
            cells = ", ".join(f"{gid} -{v:.4g}" for gid, v in sorted(e.lost.items())) or "-"
            table.add_row(e.name, e.kind, e.function, f"{sum(e.lost.values()):.4g}", cells,
                          f"[{colour[e.verdict]}]{e.verdict}[/{colour[e.verdict]}]")
        console.print(table)
    summary = Table(title="per function")
    for col in ("notebook", "function", "mutants", "killed", "variants", "passing", "do-nothing", "at 0"):
        summary.add_column(col, justify="left" if col in ("notebook", "function") else "right")
    # Every graded function, in the course's order, so one the corpus does not cover shows as 0.
    functions = {key: [] for key in result.functions}
    for e in result.entries:
        functions.setdefault((e.notebook, e.function), []).append(e)
    for (nb, fn), group in functions.items():
        m = [e for e in group if e.kind == "mutant"]
        v = [e for e in group if e.kind == "variant"]
        idle = [e for e in group if e.kind == "do_nothing"]
        killed = sum(e.verdict == "killed" for e in m)
        style = "green" if killed == len(m) and m else ("yellow" if not m else "red")
        summary.add_row(nb, fn, str(len(m)), f"[{style}]{killed}[/{style}]", str(len(v)),
                        str(sum(e.ok for e in v)), str(len(idle)), str(sum(e.ok for e in idle)))
    console.print(summary)


def _guard_lines(result, console) -> None:
    for g in result.guards:
        mark = "[green]PASS[/green]" if g.passed else "[red]FAIL[/red]"
        console.print(f"{mark} {g.name}: {g.reason}", highlight=False, soft_wrap=True)
    b = result.batch
    kept = f"; course kept in {b.course_dir}" if b.course_dir else ""
    console.print(f"wall time {b.wall_seconds:.0f} s (autograde {b.autograde_seconds:.0f} s in {b.shards} "
                  f"parallel shards){kept}", highlight=False, soft_wrap=True)


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of parallel shards >= 1, got {value!r}")
    return int(value)


def _batch_command(args, run, status: str, *, all_entries: bool) -> int:
    """Run one batch (`grader corpus` or `grader ci`), print its tables and guards, return its exit code."""
    from .corpus_run import CorpusRunError, write_json

    console = _console()
    try:
        with console.status(status):
            result = run(Path(args.course).resolve().parent, jobs=args.jobs, keep=args.keep)
    except CorpusRunError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _corpus_tables(result, console, all_entries=all_entries)
    _guard_lines(result, console)
    if args.json:
        write_json(result, args.json)
    return result.exit_code


def cmd_corpus(args) -> int:
    from functools import partial

    from .corpus_run import assignment_of, run_corpus

    course = load_course(Path(args.course))
    notebooks = list(course.assignments[assignment_of(course)].notebooks)
    if args.notebook and args.notebook not in notebooks:
        print(f"error: --notebook {args.notebook}: expected one of {', '.join(notebooks)}", file=sys.stderr)
        return 2
    run = partial(run_corpus, only=args.only, notebook=args.notebook)
    return _batch_command(args, run, "nbgrader autograde: one submission per corpus entry", all_entries=True)


def cmd_ci(args) -> int:
    from .corpus_run import run_ci

    # The table lists only the entries that went wrong: a passing CI log stays short.
    return _batch_command(args, run_ci, "nbgrader autograde: solution, stubs, corpus and repeats in one batch",
                          all_entries=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="grader", description=__doc__)
    parser.add_argument("--course", default="course.yaml", help="the course file (default: %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("check-course", help="validate course.yaml against the notebooks in solutions/")
    p.set_defaults(func=cmd_check_course)
    p = sub.add_parser("demo", help="grade a small demo class with real nbgrader and print its scores")
    p.add_argument("--dir", default="build/demo", help="the demo course directory, recreated (default: %(default)s)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("scores", help="print one row per student and one column per notebook from the gradebook "
                                      "(--task NAME: that task's cells and likely causes; --csv: as CSV)")
    p.add_argument("assignment", nargs="?", help=ASSIGNMENT_HELP)
    p.add_argument("--gradebook", default="gradebook.db")
    p.add_argument("--task", help="one task's detail: a column per graded cell and the first likely cause")
    p.add_argument("--csv", action="store_true", help="write CSV to standard output instead of a table")
    p.set_defaults(func=cmd_scores)
    p = sub.add_parser("report", help="write the class report: likely causes ranked, checks failed, score "
                                      "distributions, who is not graded, late and hand-graded work (one HTML page)")
    p.add_argument("assignment", nargs="?", help=ASSIGNMENT_HELP)
    p.add_argument("--gradebook", default="gradebook.db")
    p.add_argument("--out", default="report.html", help="the HTML file to write (default: %(default)s)")
    p.set_defaults(func=cmd_report)
    from .class_grading.command import add_parser as add_autograde
    add_autograde(sub)
    p = sub.add_parser("export", help="grades out to an LMS: Canvas's import CSV, Gradescope's results.json per "
                                      "student, or a long CSV (one row per student and cell, with status and cause)")
    p.add_argument("assignment", nargs="*", help="default: every assignment of course.yaml")
    p.add_argument("--format", required=True, choices=["canvas", "gradescope", "long"])
    p.add_argument("--out", help="file (canvas, long) or folder (gradescope); default: canvas.csv, gradescope/, "
                                 "grades_long.csv")
    p.add_argument("--roster", help="canvas: a roster CSV (Canvas's gradebook export) to map students to Canvas")
    p.add_argument("--gradebook", default="gradebook.db")
    p.set_defaults(func=cmd_export)
    batch = argparse.ArgumentParser(add_help=False)
    batch.add_argument("--jobs", type=_jobs, default=os.cpu_count() or 1,
                       help="course copies graded at once, one per core (default: %(default)s)")
    batch.add_argument("--keep", type=Path, help="keep the graded course copies in this new or empty folder")
    batch.add_argument("--json", type=Path, help="also write the result to this JSON file")
    p = sub.add_parser("corpus", parents=[batch],
                       help="grade every mutant, correct variant and do-nothing answer with real nbgrader; exit 1 "
                            "unless every mutant is killed on its own function only, every variant keeps every "
                            "point and every do-nothing answer scores 0")
    p.add_argument("--only", choices=["mutants", "variants", "do_nothing"])
    p.add_argument("--notebook", help="only the entries of this notebook")
    p.set_defaults(func=cmd_corpus)
    p = sub.add_parser("ci", parents=[batch],
                       help="the instructors' guard: release in sync and leak-free, solution full marks, stubs "
                            "and do-nothing answers zero, the whole corpus, determinism; exit 1 if any fails")
    p.set_defaults(func=cmd_ci)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except CourseConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
