"""The student's feedback page (`nbgrader generate_feedback`) opens with a summary: one line per task,
its points, then the first failing check's likely cause, or "graded by hand - pending".

Done through nbgrader's own configuration, never by patching nbgrader: a preprocessor added to
`GenerateFeedback.preprocessors` (after nbgrader's GetGrades) puts the summary in the resources, and
the `grader_feedback` template (grader/templates/, built on nbgrader's `feedback` template) shows it
instead of nbgrader's list of anonymous "Test cell" links. The causes come from the outcomes the
trusted step stored in each test cell (grader.results), not from the feedback text. The page loads
nothing from a server: no MathJax, so math reads as its TeX source.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.preprocessors import NbGraderPreprocessor

from .results import OUTCOME_KEY

TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "grader_feedback"
PENDING = "graded by hand \N{EN DASH} pending"


def configure_feedback(c) -> None:
    """Set nbgrader's config `c` so that generate_feedback writes the page with the summary."""
    import nbgrader
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import GetGrades

    nbgrader_templates = Path(nbgrader.__file__).resolve().parent / "server_extensions" / "formgrader" / "templates"
    c.GenerateFeedback.preprocessors = [GetGrades, TaskSummary, CSSHTMLHeaderPreprocessor]
    c.HTMLExporter.template_name = TEMPLATE_NAME
    c.HTMLExporter.extra_template_basedirs = [str(TEMPLATES), str(nbgrader_templates)]


def _points(x: float | None) -> str:
    return f"{round(x or 0.0, 2):g}"


def summary_rows(nb, course, notebook: str, assignment: str, pending: set[str]) -> list[dict]:
    """One row per task of the notebook, in course.yaml's order: task, points, the line after them.

    `pending`: the grade_ids graded by hand that are still waiting for a grader."""
    spec = course.assignments[assignment].notebooks[notebook]
    cells = {}
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id:
            cells.setdefault(grade_id, cell)
    rows = []
    for task in spec.tasks.values():
        graded = [g for g in task.graded_cells if g in cells]
        if not graded:
            continue
        scores = {g: cells[g].metadata.nbgrader.get("score") for g in graded}
        earned = sum(s or 0.0 for g, s in scores.items() if g not in pending)
        points = sum(task.graded_cells[g] for g in graded)
        waiting = [g for g in graded if g in pending]
        line, state = "", "full"
        for g in (g for g in task.tests if g in cells):
            record = cells[g].metadata.get(OUTCOME_KEY) or {}
            first = record.get("first_failure")
            if first:
                line = first.get("cause") or f"failed: {first.get('checked', g)}"
                state = "lost"
                break
            if (scores.get(g) or 0.0) < task.graded_cells[g] - 1e-9:   # lost points with no stored failure
                line, state = "points lost: see the test cell below", "lost"
                break
        if waiting:
            line = PENDING + (f"; {line}" if line else "")
            state = "pending" if state == "full" else state
        elif not line:
            line = "all checks passed" if task.tests else "graded by hand"
        rows.append({"task": task.name, "anchor": graded[0], "score": earned, "points": points,
                     "points_text": f"{_points(earned)} / {_points(points)}", "line": line, "state": state})
    return rows


class TaskSummary(NbGraderPreprocessor):
    """Puts `grader_summary` (see summary_rows) and `grader_pending` (the answers still waiting for a
    grader, which nbgrader's scores show as 0) in the resources for the feedback template."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        from .grading import current_course

        info = resources["nbgrader"]
        pending: set[str] = set()
        try:
            with Gradebook(info["db_url"]) as gb:
                sub = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
                pending = {g.name for g in sub.grades if g.needs_manual_grade}
        except MissingEntry:
            pass
        try:
            course = current_course()
            resources["grader_summary"] = summary_rows(nb, course, info["notebook"], info["assignment"], pending)
        except Exception as exc:  # noqa: BLE001 - a notebook course.yaml does not know: nbgrader's page, no summary
            self.log.warning("Feedback summary left out for %s: %s", info["notebook"], exc)
            resources["grader_summary"] = []
        resources["grader_pending"] = sorted(pending)
        return nb, resources
