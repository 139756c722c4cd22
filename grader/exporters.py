"""Grades out to a learning-management system: `grader export --format canvas|gradescope|long`, and the
same Canvas and long exports as nbgrader exporter plugins:

    nbgrader export --exporter=grader.exporters.CanvasExport --to canvas.csv [--CanvasExport.roster=roster.csv]
    nbgrader export --exporter=grader.exporters.LongExport --to grades_long.csv

- canvas: Canvas's gradebook-import CSV: Student, ID, SIS User ID, Section, then one column per
  assignment (its total after late penalties), with Canvas's "Points Possible" row. Students are
  mapped to Canvas through an optional roster CSV (Canvas's own gradebook export, or any CSV with a
  Student / ID / SIS User ID / SIS Login ID / Section header); students it does not match are reported,
  and a student who was not graded gets an empty cell, never a zero.
- gradescope: Gradescope's autograder `results.json`, one per graded student, `tests` with name,
  score, max_score, output and visibility. The output is made from the stored outcome (what was
  checked, expected, got, the likely cause), so no hidden test's source can reach it.
- long: one row per student and graded cell: student, notebook, task, cell, score, max, status and
  the likely cause.

Everything comes from grader.results (the gradebook, the stored outcomes and the grading status).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.plugins import ExportPlugin
from traitlets import Unicode

from .results import CellResult, ClassResults, StudentResult

FORMATS = ("canvas", "gradescope", "long")
PENDING = "graded by hand - pending"
ROSTER_KEYS = ("SIS Login ID", "SIS User ID", "ID", "Login ID", "Student ID", "student", "id")


@dataclass
class ExportReport:
    """What an export wrote, and the students it could not place."""
    written: list[str] = field(default_factory=list)
    unmatched_students: list[str] = field(default_factory=list)      # graded, but not on the roster
    roster_without_grades: list[str] = field(default_factory=list)   # on the roster, no submission
    not_graded: dict[str, str] = field(default_factory=dict)         # student -> status and why


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return f"{round(x, 3):g}"


def _display_name(s: StudentResult) -> str:
    if s.last_name and s.first_name:
        return f"{s.last_name}, {s.first_name}"
    return s.last_name or s.first_name or s.student


# -- canvas ----------------------------------------------------------------------------------------

def read_roster(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(f)]
    # Canvas's own export has a "Points Possible" row under its header: not a student.
    return [r for r in rows if r.get("Student") != "Points Possible" and any(r.values())]


def _roster_match(roster: list[dict[str, str]], student: StudentResult) -> dict[str, str] | None:
    ids = {student.student.lower()}
    if student.email:
        ids |= {student.email.lower(), student.email.split("@")[0].lower()}
    for row in roster:
        if any(row.get(k, "").lower() in ids for k in ROSTER_KEYS if row.get(k)):
            return row
    return None


def canvas_csv(classes: list[ClassResults], roster: list[dict[str, str]] | None = None) -> tuple[str, ExportReport]:
    """Canvas's gradebook-import CSV of one or more assignments (one column each)."""
    report = ExportReport()
    header = ["Student", "ID", "SIS User ID", "Section", *[c.assignment for c in classes]]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerow(["Points Possible", "", "", "", *[_fmt(c.max_points()) for c in classes]])
    students: dict[str, list[StudentResult | None]] = {}
    for i, c in enumerate(classes):
        for s in c.students:
            students.setdefault(s.student, [None] * len(classes))[i] = s
    matched_rows = set()
    for student_id in sorted(students):
        per = students[student_id]
        any_s = next(s for s in per if s is not None)
        scores = []
        for s in per:
            if s is None or s.status not in ("graded", "partly graded"):
                scores.append("")
                if s is not None:
                    report.not_graded[s.student] = s.status + (f": {s.cause}" if s.cause else "")
            else:
                scores.append(_fmt(s.score))
        if roster is None:
            w.writerow([_display_name(any_s), "", any_s.student, "", *scores])
            continue
        row = _roster_match(roster, any_s)
        if row is None:
            report.unmatched_students.append(student_id)
            continue
        matched_rows.add(id(row))
        w.writerow([row.get("Student") or _display_name(any_s), row.get("ID", ""),
                    row.get("SIS User ID", "") or any_s.student, row.get("Section", ""), *scores])
    if roster is not None:
        report.roster_without_grades = [r.get("Student") or r.get("SIS Login ID") or r.get("ID", "?")
                                        for r in roster if id(r) not in matched_rows]
    return out.getvalue(), report


# -- gradescope ------------------------------------------------------------------------------------

def _cell_output(cell: CellResult) -> str:
    """What the student reads for one cell in Gradescope: made from the stored outcome record only."""
    if cell.kind == "manual":
        return PENDING if cell.score is None else "graded by hand"
    record = cell.outcome
    if record is None:
        return "no stored outcome for this cell"
    lines = [f"{record.get('passed', 0)} of {record.get('total', 0)} checks passed"]
    if record.get("gated"):
        lines = ["the basic case failed: the other checks earn points only once it holds"]
    for c in record.get("criteria", []):
        lines.append(("PASS  " if c.get("passed") else "FAIL  ") + c.get("checked", ""))
        if not c.get("passed"):
            for key, label in (("expected", "expected"), ("got", "got"), ("cause", "likely cause")):
                if c.get(key):
                    lines.append(f"      {label}: {c[key]}")
    return "\n".join(lines)


def gradescope_results(results: ClassResults, student: StudentResult) -> dict:
    """Gradescope's results.json of one student."""
    tests = []
    for nb_name, nb in student.notebooks.items():
        for cell in nb.cells.values():
            if nb.status != "graded":
                output = f"{nb_name}: {nb.status}" + (f" ({nb.cause})" if nb.cause else "")
                score = 0.0
            else:
                output = _cell_output(cell)
                score = cell.score or 0.0
            tests.append({"name": f"{nb_name}: {cell.grade_id}", "score": round(score, 3),
                          "max_score": cell.points, "output": output, "visibility": "visible"})
    result = {"score": round(student.score, 3), "tests": tests, "visibility": "visible",
              "stdout_visibility": "hidden"}
    notes = []
    if student.late_penalty:
        notes.append(f"late submission penalty: -{_fmt(student.late_penalty)}")
    if student.pending_manual:
        notes.append(f"{len(student.pending_manual)} answers are still to be graded by hand")
    if notes:
        result["output"] = "; ".join(notes)
    return result


def write_gradescope(results: ClassResults, out_dir: Path) -> ExportReport:
    """<out_dir>/<student>/results.json for every graded (or partly graded) student."""
    report = ExportReport()
    for s in results.students:
        if s.status not in ("graded", "partly graded"):
            report.not_graded[s.student] = s.status + (f": {s.cause}" if s.cause else "")
            continue
        path = Path(out_dir) / s.student / "results.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(gradescope_results(results, s), indent=2) + "\n", encoding="utf-8")
        report.written.append(str(path))
    return report


# -- long ------------------------------------------------------------------------------------------

LONG_HEADER = ["assignment", "student", "notebook", "task", "cell", "score", "max", "status", "likely_cause"]


def long_rows(results: ClassResults) -> list[list[str]]:
    rows = []
    for s in results.students:
        for nb_name, nb in s.notebooks.items():
            for cell in nb.cells.values():
                if nb.status != "graded":
                    status, score = nb.status, None
                elif cell.kind == "manual" and cell.score is None:
                    status, score = "pending hand grading", None
                else:
                    status, score = "graded", cell.score
                rows.append([results.assignment, s.student, nb_name, cell.task, cell.grade_id, _fmt(score),
                             _fmt(cell.points), status, cell.first_cause if status == "graded" else nb.cause])
    return rows


def long_csv(classes: list[ClassResults]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(LONG_HEADER)
    for c in classes:
        w.writerows(long_rows(c))
    return out.getvalue()


# -- nbgrader exporter plugins -----------------------------------------------------------------------

def _plugin_classes(plugin, gradebook) -> list[ClassResults]:
    from .grading import current_course
    from .results import load_class

    course = current_course()
    names = [str(a) for a in plugin.assignment] or list(course.assignments)
    url = gradebook.engine.url.render_as_string(hide_password=False)
    classes = [load_class(course, a, url, course.root) for a in names if a in course.assignments]
    if plugin.student:
        keep = {str(s) for s in plugin.student}
        for c in classes:
            c.students = [s for s in c.students if s.student in keep]
    return classes


def _log_report(log, report: ExportReport) -> None:
    for s in report.unmatched_students:
        log.warning("Student %s is not on the roster: left out of the export", s)
    for s in report.roster_without_grades:
        log.warning("Roster student %s has no grades in the gradebook", s)
    for s, why in report.not_graded.items():
        log.warning("Student %s is not graded (%s): exported without a score", s, why)


class CanvasExport(ExportPlugin):
    """nbgrader exporter plugin: Canvas's gradebook-import CSV (see the module's docstring)."""

    roster = Unicode("", help="a roster CSV mapping students to Canvas (Canvas's gradebook export)").tag(config=True)

    def export(self, gradebook) -> None:
        dest = self.to or "canvas.csv"
        roster = read_roster(Path(self.roster)) if self.roster else None
        text, report = canvas_csv(_plugin_classes(self, gradebook), roster)
        Path(dest).write_text(text, encoding="utf-8")
        self.log.info("Exported Canvas grades to %s", dest)
        _log_report(self.log, report)


class LongExport(ExportPlugin):
    """nbgrader exporter plugin: the long-format CSV, one row per student and graded cell."""

    def export(self, gradebook) -> None:
        dest = self.to or "grades_long.csv"
        Path(dest).write_text(long_csv(_plugin_classes(self, gradebook)), encoding="utf-8")
        self.log.info("Exported per-cell grades to %s", dest)
