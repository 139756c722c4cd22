"""The class's results as data: what the instructor's report, `grader scores` and the exports read.

Two sources, both written at grading time, neither parsed from feedback text:
- nbgrader's gradebook: every graded cell's score and points, late submissions, manual grades;
- the structured outcome the trusted step stores in each autograded test cell's metadata
  (`cell.metadata["grader"]`): the criteria that passed or failed, and for each failure what was
  expected, what came back and the likely cause.
Plus the grading status of each student and notebook (graded, not graded, missing, invalid, skipped),
from `grader.grading_status` when the gradebook holds it, else derived from the folders on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .course import Course
from .outcome import Outcome, Result

OUTCOME_KEY = "grader"           # the autograded test cell's metadata key of its structured outcome
RECORD_VERSION = 1
MAX_TEXT = 400                   # each stored string is bounded: a student's value can be huge


def _bounded(text: str) -> str:
    text = str(text)
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + " [...]"


def _criterion(result: Result, basic: bool = False) -> dict:
    out = {"checked": _bounded(result.checked), "passed": bool(result.passed), "weight": float(result.weight)}
    if basic:
        out["basic"] = True
    if not result.passed:
        out.update(expected=_bounded(result.expected), got=_bounded(result.got), cause=_bounded(result.cause))
    return out


def outcome_record(outcome: Outcome, course: Course | None = None) -> dict:
    """A test cell's outcome as plain JSON data: score, points, each criterion (passed or failed,
    with expected / got / likely cause when it failed), and the first failure's likely cause."""
    criteria = ([_criterion(outcome.basic, basic=True)] if outcome.basic is not None else []) + \
        [_criterion(r) for r in outcome.results]
    failed = [c for c in criteria if not c["passed"]]
    task = check = None
    if course is not None:
        try:
            task = course.task_of(outcome.grade_id).name
            check = course.test_cell(outcome.grade_id).check
        except Exception:  # noqa: BLE001 - a cell course.yaml does not list: no task to name
            pass
    first = failed[0] if failed else None
    return {
        "version": RECORD_VERSION,
        "grade_id": outcome.grade_id,
        "task": task,
        "check": check,
        "score": outcome.score,
        "points": float(outcome.points),
        "gated": outcome.gated,
        "passed": sum(c["passed"] for c in criteria if not c.get("basic")),
        "total": sum(not c.get("basic") for c in criteria),
        "criteria": criteria,
        "first_failure": None if first is None else {k: first[k] for k in ("checked", "expected", "got", "cause")},
    }


def cell_outcomes(nb) -> dict[str, dict]:
    """grade_id -> the stored outcome record of every autograded test cell of an autograded notebook
    (an nbformat notebook or its plain JSON)."""
    out = {}
    for cell in nb.get("cells", []):
        record = cell.get("metadata", {}).get(OUTCOME_KEY)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if isinstance(record, dict) and grade_id:
            out[grade_id] = record
    return out


# ---------------------------------------------------------------------------------------------------
# The class read model


@dataclass
class CellResult:
    grade_id: str
    notebook: str
    task: str
    kind: str                         # "auto" (a test cell) or "manual" (graded by hand)
    score: float | None               # None: not graded yet (manual), or no submission
    points: float
    outcome: dict | None = None       # the stored record of an autograded test cell

    @property
    def first_cause(self) -> str:
        failure = (self.outcome or {}).get("first_failure") or {}
        return failure.get("cause") or ""

    @property
    def causes(self) -> list[str]:
        """The distinct likely causes of this cell's failed criteria, in order."""
        seen = []
        for c in (self.outcome or {}).get("criteria", []):
            if not c.get("passed") and c.get("cause") and c["cause"] not in seen:
                seen.append(c["cause"])
        return seen


@dataclass
class NotebookResult:
    name: str
    status: str                       # graded, not graded, missing, invalid, skipped
    cause: str = ""
    score: float | None = None
    max_score: float = 0.0
    late_seconds: float = 0.0
    cells: dict[str, CellResult] = field(default_factory=dict)


@dataclass
class StudentResult:
    student: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    status: str = "graded"
    cause: str = ""
    late_seconds: float = 0.0
    late_penalty: float = 0.0
    notebooks: dict[str, NotebookResult] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(nb.score or 0.0 for nb in self.notebooks.values()) - self.late_penalty

    def cells(self) -> list[CellResult]:
        return [c for nb in self.notebooks.values() for c in nb.cells.values()]

    def task_score(self, task: str) -> float:
        return sum(c.score or 0.0 for c in self.cells() if c.task == task)

    @property
    def pending_manual(self) -> list[CellResult]:
        """The answers of graded notebooks still waiting for a hand grader."""
        return [c for nb in self.notebooks.values() if nb.status == "graded" for c in nb.cells.values()
                if c.kind == "manual" and c.score is None]


@dataclass
class ClassResults:
    course: Course
    assignment: str
    students: list[StudentResult]
    status_source: str                 # "gradebook" (grader.grading_status) or "disk"

    @property
    def spec(self):
        return self.course.assignments[self.assignment]

    def max_points(self, notebook: str | None = None) -> float:
        nbs = [self.spec.notebooks[notebook]] if notebook else self.spec.notebooks.values()
        return sum(p for nb in nbs for p in nb.graded_cells.values())

    def graded(self) -> list[StudentResult]:
        """The students with at least one graded notebook."""
        return [s for s in self.students if any(nb.status == "graded" for nb in s.notebooks.values())]


def _statuses_from_gradebook(db_url: str, assignment: str):
    """{student: {notebook or None: (status, cause)}} from grader.grading_status, or None when that
    module or its table is absent."""
    try:
        from . import grading_status
    except ImportError:
        return None
    try:
        rows = grading_status.read(db_url, assignment)
    except Exception:  # noqa: BLE001 - an older gradebook without the table
        return None
    if not rows:
        return None
    out: dict[str, dict] = {}
    for r in rows:
        out.setdefault(r.student, {})[r.notebook] = (r.status, r.cause or "")
    return out


def load_class(course: Course, assignment: str, db_url: str, course_root: Path | None = None,
               outcomes: bool | set[str] = True) -> ClassResults:
    """Every student of the gradebook with their cells, statuses and stored outcomes.

    The gradebook is read in three queries whatever the class size. `outcomes`: read the stored
    outcomes of every notebook (True), of none (False: scores only, as `grader scores` needs), or of
    the named notebooks; they come from the autograded notebooks under `course_root`
    (autograded/<student>/<assignment>/<notebook>.ipynb)."""
    spec = course.assignments[assignment]
    root = Path(course_root) if course_root is not None else course.root
    statuses = _statuses_from_gradebook(db_url, assignment)
    wanted = set(spec.notebooks) if outcomes is True else set(outcomes or ())
    people, submissions, grades = _gradebook_rows(db_url, course.course_id, assignment)
    students = []
    for name, (first, last, email) in sorted(people.items()):
        result = StudentResult(name, first, last, email)
        if name in submissions:
            result.late_seconds, result.late_penalty = submissions[name]
        status = (statuses or {}).get(name, {})
        for nb_name, nb_spec in spec.notebooks.items():
            nb = NotebookResult(nb_name, "graded", max_score=sum(nb_spec.graded_cells.values()))
            cell_grades = grades.get((name, nb_name))
            records = {}
            if nb_name in wanted:
                records = _read_outcomes(root / "autograded" / name / assignment / f"{nb_name}.ipynb")
            for task in nb_spec.tasks.values():
                for grade_id, points in task.graded_cells.items():
                    kind = "auto" if grade_id in task.tests else "manual"
                    score = None
                    if cell_grades is not None and grade_id in cell_grades:
                        value, needs_manual = cell_grades[grade_id]
                        if not (kind == "manual" and needs_manual):
                            score = float(value or 0.0)
                    nb.cells[grade_id] = CellResult(grade_id, nb_name, task.name, kind, score, float(points),
                                                    records.get(grade_id))
            if cell_grades is not None:
                nb.score = sum(c.score or 0.0 for c in nb.cells.values())
            # The status: the gradebook's status table when it has one, else the folders on disk.
            if statuses is not None and status:
                st, cause = status.get(nb_name) or status.get(None) or ("graded", "")
                if st == "skipped":     # unchanged since its saved grade: that grade stands
                    st, cause = "graded", ""
                if st == "graded" and cell_grades is None:
                    st, cause = "missing", "no submitted notebook"
                nb.status, nb.cause = st, cause
            else:
                nb.status, nb.cause = _disk_status(root, name, assignment, nb_name, cell_grades is not None)
            if nb.status != "graded":   # whatever the gradebook holds for it, it earned nothing graded
                nb.score = None
            result.notebooks[nb_name] = nb
        whole = status.get(None) if statuses is not None else None
        if whole and whole[0] not in ("graded", "skipped"):
            result.status, result.cause = whole
        else:
            result.status, result.cause = _student_status(result)
        students.append(result)
    return ClassResults(course, assignment, students, "gradebook" if statuses is not None else "disk")


def _gradebook_rows(db_url: str, course_id: str, assignment: str):
    """(students {id: (first, last, email)}, submissions {id: (seconds late, late penalty)},
    grades {(student, notebook): {grade_id: (score, needs manual grade)}}) of one assignment."""
    from nbgrader.api import (Assignment, BaseCell, Grade, Gradebook, Notebook, Student, SubmittedAssignment,
                              SubmittedNotebook)

    with Gradebook(db_url, course_id) as gb:
        people = {s.id: (s.first_name, s.last_name, s.email) for s in gb.db.query(Student)}
        submissions = {}
        for sub in gb.db.query(SubmittedAssignment).join(Assignment).filter(Assignment.name == assignment):
            submissions[sub.student_id] = (float(sub.total_seconds_late or 0.0),
                                           float(sub.late_submission_penalty or 0.0))
        grades: dict[tuple[str, str], dict] = {}
        rows = (gb.db.query(SubmittedAssignment.student_id, Notebook.name, BaseCell.name, Grade.score,
                            Grade.needs_manual_grade)
                .select_from(Grade)
                .join(SubmittedNotebook, Grade.notebook_id == SubmittedNotebook.id)
                .join(SubmittedAssignment, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
                .join(Assignment, SubmittedAssignment.assignment_id == Assignment.id)
                .join(Notebook, SubmittedNotebook.notebook_id == Notebook.id)
                .join(BaseCell, Grade.cell_id == BaseCell.id)
                .filter(Assignment.name == assignment))
        for student, notebook, cell, score, needs_manual in rows:
            grades.setdefault((student, notebook), {})[cell] = (score, bool(needs_manual))
    return people, submissions, grades


def _read_outcomes(path: Path) -> dict[str, dict]:
    import json

    if not path.is_file():
        return {}
    try:   # plain JSON: nbformat's validation costs more than the read, for thousands of notebooks
        return cell_outcomes(json.loads(path.read_text(encoding="utf-8")))
    except Exception:  # noqa: BLE001 - an unreadable autograded notebook holds no outcomes
        return {}


def _disk_status(root: Path, student: str, assignment: str, notebook: str, in_gradebook: bool) -> tuple[str, str]:
    """Without the status table: no autograded folder = not graded, no autograded notebook = missing.
    (nbgrader keeps a failed submission's rows in the gradebook but removes its autograded folder.)"""
    folder = root / "autograded" / student / assignment
    if in_gradebook and (folder / f"{notebook}.ipynb").is_file():
        return "graded", ""
    submitted = root / "submitted" / student / assignment / f"{notebook}.ipynb"
    if not folder.is_dir():
        if submitted.is_file():
            return "not graded", "submitted but not autograded (see nbgrader's log)"
        return "not graded", "no autograded submission"
    if not (folder / f"{notebook}.ipynb").is_file():
        return "missing", "no notebook submitted"
    return "not graded", "the autograded notebook is not in the gradebook"


def _student_status(student: StudentResult) -> tuple[str, str]:
    states = {nb.status for nb in student.notebooks.values()}
    if states == {"graded"}:
        return "graded", ""
    bad = [nb for nb in student.notebooks.values() if nb.status != "graded"]
    if "graded" not in states:
        causes = sorted({nb.cause for nb in bad if nb.cause})
        return bad[0].status, "; ".join(causes)
    return "partly graded", "; ".join(f"{nb.name}: {nb.status}" + (f" ({nb.cause})" if nb.cause else "")
                                      for nb in bad)
