"""Read the nbgrader gradebook and report scores per student and per task."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from nbgrader.api import Gradebook, MissingEntry

from .course import Course


@dataclass
class StudentScores:
    student: str
    tasks: dict[str, float]           # task name -> score (autograded, plus manual where given)
    cells: dict[str, float]           # grade_id -> score
    pending_manual: float             # points still waiting for a human grader
    missing: list[str]                # notebooks with no submission


def gradebook_scores(course: Course, assignment: str, db_url: str) -> list[StudentScores]:
    """Scores of every student with a submission of `assignment`, from nbgrader's gradebook."""
    spec = course.assignments[assignment]
    out = []
    with Gradebook(db_url, course.course_id) as gb:
        for student in sorted(s.id for s in gb.students):
            try:
                gb.find_submission(assignment, student)
            except MissingEntry:
                continue
            tasks: dict[str, float] = defaultdict(float)
            cells: dict[str, float] = {}
            pending = 0.0
            missing = []
            for nb_name in spec.notebooks:
                try:
                    sub = gb.find_submission_notebook(nb_name, assignment, student)
                except MissingEntry:
                    missing.append(nb_name)
                    continue
                for grade in sub.grades:
                    task = course.task_of(grade.name).name
                    if grade.needs_manual_grade:
                        pending += grade.max_score
                        tasks[task] += 0.0
                        continue
                    score = grade.score or 0.0
                    cells[grade.name] = score
                    tasks[task] += score
            out.append(StudentScores(student, dict(tasks), cells, pending, missing))
    return out


def score_table(course: Course, assignment: str, rows: list[StudentScores], errors: dict[str, str] | None = None):
    """A rich Table: one row per task (with its points), one column per student, totals at the bottom.
    Autograded points are shown; answers graded by hand show 'hand' until an instructor grades them."""
    from rich.table import Table

    spec = course.assignments[assignment]
    errors = errors or {}
    table = Table(title=f"{course.course_id} / {assignment}: autograded scores per task", show_footer=True)
    table.add_column("notebook", footer="")
    table.add_column("task", footer="total (autograded)")
    table.add_column("points", justify="right", footer=f"{_auto_points(spec):g}")
    students = [r.student for r in rows] + sorted(s for s in errors if s not in {r.student for r in rows})
    by_student = {r.student: r for r in rows}
    for student in students:
        row = by_student.get(student)
        footer = "[red]error[/red]" if row is None else f"{sum(row.cells.get(g, 0.0) for g in _auto_cells(spec)):g}"
        table.add_column(student, justify="right", footer=footer)
    for nb_name, notebook in spec.notebooks.items():
        for task in notebook.tasks.values():
            values = []
            for student in students:
                row = by_student.get(student)
                if row is None:
                    values.append("[red]-[/red]")
                elif nb_name in row.missing:
                    values.append("[red]missing[/red]")
                elif not task.tests:
                    done = task.name in row.cells  # unanswered: nbgrader scores 0, nothing to grade by hand
                    values.append(f"{row.cells[task.name]:g}" if done else "[dim]hand[/dim]")
                else:
                    auto = sum(row.cells.get(g, 0.0) for g in task.tests)
                    full = sum(c.points for c in task.tests.values())
                    style = "green" if auto == full else ("red" if auto == 0 else "yellow")
                    values.append(f"[{style}]{auto:g}[/{style}]")
            table.add_row(nb_name, task.name, f"{task.points:g}" + (" (hand)" if task.manual else ""), *values)
    return table


def _auto_cells(spec) -> list[str]:
    return [g for nb in spec.notebooks.values() for t in nb.tasks.values() for g in t.tests]


def _auto_points(spec) -> float:
    return sum(c.points for nb in spec.notebooks.values() for t in nb.tasks.values() for c in t.tests.values())


# -- the class table: one row per student, one column per notebook (`grader scores`) ----------------

def _style(score: float | None, maximum: float) -> str:
    if score is None:
        return "red"
    return "green" if score >= maximum - 1e-9 else ("red" if score == 0 else "yellow")


def _status_text(s) -> str:
    return s.status + (f": {s.cause}" if s.cause else "")


def class_table(results, width: int = 140):
    """A rich Table of a ClassResults: one row per student (never cut), one column per notebook, the
    total and the points still waiting for a hand grader, and the status, cut to fit `width`
    characters; the class mean at the bottom."""
    from rich.table import Table

    spec = results.spec
    graded = [s for s in results.students if s.status in ("graded", "partly graded")]
    not_ok = len(results.students) - sum(s.status == "graded" for s in results.students)
    total_max = results.max_points()
    mean = sum(s.score for s in graded) / len(graded) if graded else 0.0
    table = Table(title=f"{results.course.course_id} / {results.assignment}: {len(results.students)} students, "
                        f"{not_ok} not or partly graded, mean {mean:.1f} / {total_max:g}",
                  show_footer=True, row_styles=["", "dim"] if len(results.students) > 20 else None)
    # Every column but the status keeps its full width: a student id or a notebook's name is never cut.
    longest = max([len("class mean"), *(len(s.student) for s in results.students)])
    table.add_column("student", no_wrap=True, footer="class mean", min_width=longest)
    for nb_name in spec.notebooks:
        values = [s.notebooks[nb_name].score for s in graded if s.notebooks[nb_name].status == "graded"]
        avg = f"{sum(values) / len(values):.1f}" if values else "-"
        table.add_column(f"{nb_name}\n/{results.max_points(nb_name):g}", justify="right", no_wrap=True, footer=avg,
                         min_width=len(nb_name))
    table.add_column(f"total\n/{total_max:g}", justify="right", no_wrap=True, footer=f"{mean:.1f}", min_width=6)
    table.add_column("hand\npending", justify="right", no_wrap=True, min_width=7)
    used = sum(c.min_width or 0 for c in table.columns) + 3 * len(table.columns) + 4   # borders and padding
    table.add_column("status", overflow="ellipsis", no_wrap=True, max_width=max(16, width - used))
    for s in results.students:
        cells = []
        for nb_name in spec.notebooks:
            nb = s.notebooks[nb_name]
            if nb.status != "graded":   # the status column says why
                cells.append("[red]-[/red]" if nb.status == "not graded" else f"[red]{nb.status}[/red]")
            else:
                cells.append(f"[{_style(nb.score, nb.max_score)}]{nb.score:.1f}[/]")
        pending = sum(c.points for c in s.pending_manual)
        ok = s.status == "graded"
        table.add_row(s.student, *cells, f"[bold]{s.score:.1f}[/bold]" if s.status != "not graded" else "[red]-[/red]",
                      f"{pending:g}" if pending else "", "graded" if ok else f"[red]{_status_text(s)}[/red]")
    return table


def find_task(results, name: str):
    """(notebook name, Task) of task `name` in the assignment, or None."""
    for nb_name, nb in results.spec.notebooks.items():
        if name in nb.tasks:
            return nb_name, nb.tasks[name]
    return None


def task_columns(task) -> list[str]:
    return list(task.graded_cells)


def task_rows(results, nb_name: str, task) -> list[tuple]:
    """(student, status, {grade_id: score or None}, total, first likely cause) per student."""
    rows = []
    for s in results.students:
        nb = s.notebooks[nb_name]
        cells = {g: nb.cells[g] for g in task.graded_cells}
        scores = {g: (c.score if nb.status == "graded" else None) for g, c in cells.items()}
        total = sum(v or 0.0 for v in scores.values()) if nb.status == "graded" else None
        cause = next((c.first_cause for c in cells.values() if c.first_cause), "") if nb.status == "graded" \
            else nb.cause
        pending = [g for g, c in cells.items() if c.kind == "manual" and c.score is None]
        status = nb.status if nb.status != "graded" else ("hand grading pending" if pending else "graded")
        rows.append((s.student, status, scores, total, cause))
    return rows


def task_table(results, nb_name: str, task):
    """A rich Table of one task: one row per student, a column per graded cell, the first likely cause."""
    from rich.table import Table

    table = Table(title=f"{results.assignment} / {nb_name} / {task.name} ({task.points:g} points)")
    table.add_column("student", no_wrap=True)
    for g, points in task.graded_cells.items():
        aspect = g[len(task.name) + 1:] if g.startswith(task.name + "-") else "by hand"
        table.add_column(f"{aspect}\n/{points:g}", justify="right", no_wrap=True)
    table.add_column(f"total\n/{task.points:g}", justify="right", no_wrap=True)
    table.add_column("likely cause (first failing check) or status", overflow="fold")
    for student, status, scores, total, cause in task_rows(results, nb_name, task):
        cells = []
        for g, points in task.graded_cells.items():
            v = scores[g]
            cells.append("[red]-[/red]" if v is None and status not in ("graded", "hand grading pending")
                         else "[dim]pending[/dim]" if v is None else f"[{_style(v, points)}]{v:g}[/]")
        note = cause if status == "graded" else (f"{status}: {cause}" if cause else status)
        table.add_row(student, *cells, "-" if total is None else f"[bold]{total:g}[/bold]", note)
    return table


def scores_csv(results, task_name: str | None = None) -> str:
    """The same as CSV: per student and notebook, or (task_name) per student and graded cell."""
    import csv
    import io

    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")

    def fmt(v):
        return "" if v is None else f"{round(v, 3):g}"

    if task_name is None:
        w.writerow(["student", "first_name", "last_name", "status", "cause", *results.spec.notebooks, "total",
                    "hand_pending"])
        for s in results.students:
            w.writerow([s.student, s.first_name or "", s.last_name or "", s.status, s.cause,
                        *[fmt(s.notebooks[nb].score) for nb in results.spec.notebooks],
                        fmt(s.score if s.status != "not graded" else None),
                        fmt(sum(c.points for c in s.pending_manual))])
        return out.getvalue()
    nb_name, task = find_task(results, task_name)
    w.writerow(["student", "status", *task.graded_cells, "total", "likely_cause"])
    for student, status, scores, total, cause in task_rows(results, nb_name, task):
        w.writerow([student, status, *[fmt(scores[g]) for g in task.graded_cells], fmt(total), cause])
    return out.getvalue()
