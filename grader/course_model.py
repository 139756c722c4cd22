"""What course.yaml describes, as frozen dataclasses: the course, its assignments, notebooks, tasks and
test cells, the grading policy and the data. `grader.course` reads and validates the file into them.

Kept apart from the reading so that what the checks and the outcome model use (`Param`, `Policy`,
`Data`) needs nothing of the checks, while reading course.yaml needs the checks (which ones exist,
and the params each declares).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping


class CourseConfigError(ValueError):
    """A problem in course.yaml (or in what it names), as one line for the instructor."""

    def __init__(self, message: str):
        # Keys and values come from the file: keep the message on one line whatever they hold.
        super().__init__(message.replace("\r", "\\r").replace("\n", "\\n"))


@dataclass(frozen=True)
class Param:
    """A setting a check takes from its test cell's `params` in course.yaml: declared by the check with
    its kind and default, so a misspelled or ill-typed key is an error, never a silent default."""

    kind: str                       # "number" or "integer"
    default: float | int | None     # None: optional, with no value unless course.yaml gives one
    doc: str = ""
    minimum: float = 0.0


@dataclass(frozen=True)
class Tolerances:
    gradient_rel_error: float = 1e-6
    value_rel_error: float = 1e-6
    answer_rel_error: float = 1e-3


@dataclass(frozen=True)
class Policy:
    cell_timeout_seconds: int = 60
    seed: int = 231
    hypothesis_max_examples: int = 20
    tolerances: Tolerances = field(default_factory=Tolerances)
    call_timeout_seconds: int = 10     # one call of the student's code in the grading worker
    worker_memory_mb: int = 2048       # the grading worker's address space
    # Wall-clock budgets of the trusted step (seconds), far above what honest work takes (a notebook's
    # checks take 0.4-2 s, one answer's at most about 2 s): what one answer's checks may take in a
    # notebook, what one notebook's trusted step may take, and all of a student's notebooks together.
    answer_budget_seconds: float = 30
    notebook_budget_seconds: float = 120
    student_budget_seconds: float = 400
    max_answer_cell_bytes: int = 100_000   # a larger answer cell is not loaded into the grading worker
    # The student's kernel during autograde (see sandbox/kernel_container.py): limits per kernel.
    kernel_memory_mb: int = 4096       # address space of each of its processes
    kernel_processes: int = 256        # processes and threads at once
    kernel_cpu_seconds: int = 600      # CPU time of each of its processes
    kernel_file_mb: int = 64           # largest file it may write
    kernel_disk_mb: int = 512          # its private file system: /tmp, HOME and its notebook folder's copy


@dataclass(frozen=True)
class TestCell:
    grade_id: str
    points: float
    check: str
    params: Mapping[str, Any] = field(default_factory=dict)  # check-specific settings (thresholds, ...)


@dataclass(frozen=True)
class Task:
    name: str
    tests: Mapping[str, TestCell]
    manual: float | None = None

    @property
    def points(self) -> float:
        return sum(t.points for t in self.tests.values()) + (self.manual or 0)

    @property
    def graded_cells(self) -> dict[str, float]:
        """grade_id -> points of every graded cell of this task."""
        cells = {t.grade_id: t.points for t in self.tests.values()}
        if self.manual is not None:
            cells[self.name] = self.manual
        return cells


@dataclass(frozen=True)
class Notebook:
    name: str
    tasks: Mapping[str, Task]

    @property
    def graded_cells(self) -> dict[str, float]:
        return {gid: p for task in self.tasks.values() for gid, p in task.graded_cells.items()}


@dataclass(frozen=True)
class Assignment:
    name: str
    notebooks: Mapping[str, Notebook]


@dataclass(frozen=True)
class Data:
    cifar10_dir: str | None = None  # relative to course.yaml; None: the checks use scikit-learn's digits
    # Course folders or files the student's kernel may read during autograde (relative to course.yaml),
    # shown read-only at the same relative path inside its notebook folder. cifar10_dir is added.
    kernel_data: tuple[str, ...] = ()


@dataclass(frozen=True)
class Course:
    path: Path
    course_id: str
    policy: Policy
    assignments: Mapping[str, Assignment]
    data: Data = field(default_factory=Data)

    @property
    def root(self) -> Path:
        return self.path.parent

    def notebooks(self) -> Iterable[tuple[Assignment, Notebook]]:
        for assignment in self.assignments.values():
            for notebook in assignment.notebooks.values():
                yield assignment, notebook

    def test_cell(self, grade_id: str) -> TestCell:
        for _, notebook in self.notebooks():
            for task in notebook.tasks.values():
                if grade_id in task.tests:
                    return task.tests[grade_id]
        raise CourseConfigError(f"{self.path.name}: no autograded test cell '{grade_id}' in any task")

    def task_of(self, grade_id: str) -> Task:
        for _, notebook in self.notebooks():
            for task in notebook.tasks.values():
                if grade_id in task.graded_cells:
                    return task
        raise KeyError(grade_id)
