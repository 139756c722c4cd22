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
