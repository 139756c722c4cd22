"""course.yaml validation (grader/course.py): every problem is one line naming the file, the key and
what was expected, never a traceback, from Python, from `grader check-course` and from real nbgrader.

Each broken config starts from the real course.yaml (yaml.safe_load), is mutated, dumped into a
temporary directory and loaded from there; notebook checks run against a copy of solutions/.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from grader import cli
from grader.course import Course, CourseConfigError, load_course, parse_course

REPO = Path(__file__).resolve().parents[1]
COURSE_YAML = REPO / "course.yaml"
SOLUTIONS = REPO / "solutions"
REAL_TEXT = COURSE_YAML.read_text(encoding="utf-8")
REAL = yaml.safe_load(REAL_TEXT)

NB = "assignments.lecture3.notebooks.losses"
TASKS = f"{NB}.tasks"
NB_FILE = "solutions/lecture3/losses.ipynb"


# -- helpers ---------------------------------------------------------------------------------------


def tasks_of(data: dict) -> dict:
    return data["assignments"]["lecture3"]["notebooks"]["losses"]["tasks"]


def cells_of(data: dict, task: str) -> dict:
    return tasks_of(data)[task]["tests"]


def rename_key(mapping: dict, old: str, new: str) -> None:
    """Rename a key in place, keeping its position (messages name the first bad key)."""
    items = [((new if k == old else k), v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)


def write_course(root: Path, data: Any, *, with_solutions: bool = False) -> Path:
    path = root / "course.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    if with_solutions and not (root / "solutions").exists():
        shutil.copytree(SOLUTIONS, root / "solutions")
    return path


def assert_one_line(msg: str) -> None:
    assert "\n" not in msg and "\r" not in msg, f"message is not one line: {msg!r}"
    assert msg.startswith("course.yaml: "), msg
    assert "expected" in msg, msg
    assert "Traceback" not in msg, msg


def config_error(path: Path, **kwargs) -> str:
    """Load `path`, which must fail with a one-line CourseConfigError; return its message."""
    with pytest.raises(CourseConfigError) as info:
        load_course(path, **kwargs)
    msg = str(info.value)
    assert_one_line(msg)
    return msg


def assert_names_key(msg: str, key: str) -> None:
    """The message names exactly this dotted key path, right after the file name."""
    assert msg.startswith(f"course.yaml: {key}: "), f"expected key {key!r} in {msg!r}"


# -- the catalogue of broken configs ---------------------------------------------------------------


@dataclass
class Case:
    id: str
    mutate: Callable[[dict, Path], Any]  # edits the dict in place and/or files (or returns a new document)
    key: str  # the dotted key path the message must name
    expected: tuple[str, ...]  # fragments the message must contain, "expected ..." wording included
    notebooks: bool = False  # load with check_notebooks=True against a copy of solutions/
    replace: bool = False  # mutate returns a whole new document instead of editing the dict

    def run(self, root: Path) -> str:
        data = copy.deepcopy(REAL)
        if self.notebooks:
            shutil.copytree(SOLUTIONS, root / "solutions")
        result = self.mutate(data, root)
        path = write_course(root, result if self.replace else data)
        return config_error(path, check_notebooks=self.notebooks)


def _set_test(task: str, gid: str, **spec) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        cells_of(d, task).setdefault(gid, {}).update(spec)
    return mutate


def _set_manual(task: str, value: Any) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        tasks_of(d)[task]["manual"] = value
    return mutate


def _set_policy(name: str, value: Any) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        d["policy"][name] = value
    return mutate


def _set_tolerance(name: str, value: Any) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        d["policy"]["tolerances"][name] = value
    return mutate


def _rename_test_key(task: str, gid: str, old: str, new: str) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        rename_key(cells_of(d, task)[gid], old, new)
    return mutate


GRADIENT = "svm_loss_naive-gradient"
GRADIENT_KEY = f"{TASKS}.svm_loss_naive.tests.{GRADIENT}"

TYPO_CASES = [
    Case("pionts-in-test-cell", _rename_test_key("svm_loss_naive", GRADIENT, "points", "pionts"),
         f"{GRADIENT_KEY}.pionts", ("unknown key (did you mean 'points'?)", "expected one of points, check, params")),
    Case("chek-in-test-cell", _rename_test_key("svm_loss_naive", GRADIENT, "check", "chek"),
         f"{GRADIENT_KEY}.chek", ("unknown key (did you mean 'check'?)", "expected one of points, check, params")),
    Case("polciy-at-top-level", lambda d, r: rename_key(d, "policy", "polciy"),
         "polciy", ("unknown key (did you mean 'policy'?)", "expected one of course_id, policy, data, assignments")),
    Case("hypothesis_max_example-in-policy",
         lambda d, r: rename_key(d["policy"], "hypothesis_max_examples", "hypothesis_max_example"),
         "policy.hypothesis_max_example",
         ("unknown key (did you mean 'hypothesis_max_examples'?)",
          "expected one of cell_timeout_seconds, seed, hypothesis_max_examples, tolerances, "
          "call_timeout_seconds, worker_memory_mb")),
    Case("gradient_rel_eror-in-tolerances",
         lambda d, r: rename_key(d["policy"]["tolerances"], "gradient_rel_error", "gradient_rel_eror"),
         "policy.tolerances.gradient_rel_eror",
         ("unknown key (did you mean 'gradient_rel_error'?)",
          "expected one of gradient_rel_error, value_rel_error, answer_rel_error")),
    Case("tets-in-task", lambda d, r: rename_key(tasks_of(d)["svm_loss_naive"], "tests", "tets"),
         f"{TASKS}.svm_loss_naive.tets", ("unknown key (did you mean 'tests'?)", "expected one of tests, manual")),
    Case("manaul-in-task", lambda d, r: rename_key(tasks_of(d)["svm_q7_explanation"], "manual", "manaul"),
         f"{TASKS}.svm_q7_explanation.manaul",
         ("unknown key (did you mean 'manual'?)", "expected one of tests, manual")),
    Case("notebook-in-assignment",
         lambda d, r: rename_key(d["assignments"]["lecture3"], "notebooks", "notebook"),
         "assignments.lecture3.notebook", ("unknown key (did you mean 'notebooks'?)", "expected one of notebooks")),
    Case("task-in-notebook",
         lambda d, r: rename_key(d["assignments"]["lecture3"]["notebooks"]["losses"], "tasks", "task"),
         f"{NB}.task", ("unknown key (did you mean 'tasks'?)", "expected one of tasks")),
    Case("unrelated-key-has-no-hint", lambda d, r: d.update(zzz=1),
         "zzz", ("unknown key; expected one of course_id, policy, data, assignments",)),
]

MISSING_KEY_CASES = [
    Case("no-course_id", lambda d, r: d.pop("course_id"), "course_id", ("expected this key to be present",)),
    Case("no-assignments", lambda d, r: d.pop("assignments"), "assignments", ("expected this key to be present",)),
    Case("test-cell-without-check", lambda d, r: cells_of(d, "svm_loss_naive")[GRADIENT].pop("check"),
         f"{GRADIENT_KEY}.check", ("expected this key to be present",)),
    Case("test-cell-without-points", lambda d, r: cells_of(d, "svm_loss_naive")[GRADIENT].pop("points"),
         f"{GRADIENT_KEY}.points", ("expected this key to be present",)),
    Case("notebook-without-tasks",
         lambda d, r: d["assignments"]["lecture3"]["notebooks"]["losses"].pop("tasks"),
         f"{NB}.tasks", ("expected this key to be present",)),
]


def _edit_test_source(gid: str, new_id: str | None) -> Callable[[dict, Path], None]:
    """Rewrite the grade() call of test cell `gid` in the copied solutions (None: remove the call)."""
    def mutate(d: dict, root: Path) -> None:
        path = root / "solutions" / "lecture3" / "losses.ipynb"
        nb = json.loads(path.read_text())
        cell = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == gid)
        source = "".join(cell["source"])
        cell["source"] = source.replace(f'grade("{gid}"', "pass  # grade(" if new_id is None else f'grade("{new_id}"')
        if new_id is None:
            cell["source"] = cell["source"].replace("grade(", "")
        path.write_text(json.dumps(nb))
    return mutate


def _add_notebook_losses2(d: dict, root: Path) -> None:
    d["assignments"]["lecture3"]["notebooks"]["losses2"] = {"tasks": {"essay": {"manual": 1}}}


def _rename_losses_to_losses2(d: dict, root: Path) -> None:
    rename_key(d["assignments"]["lecture3"]["notebooks"], "losses", "losses2")
    (root / "solutions" / "lecture3" / "losses.ipynb").unlink()


def _extra_notebook(d: dict, root: Path) -> None:
    folder = root / "solutions" / "lecture3"
    shutil.copy(folder / "losses.ipynb", folder / "extra.ipynb")


def _add_task(name: str, spec: dict) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        tasks_of(d)[name] = spec
    return mutate


def _delete_task(name: str) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        del tasks_of(d)[name]
    return mutate


NOTEBOOK_CASES = [
    Case("notebook-named-but-missing", _add_notebook_losses2,
         "assignments.lecture3.notebooks.losses2",
         ("expected the notebook solutions/lecture3/losses2.ipynb to exist",), notebooks=True),
    Case("notebook-renamed-and-missing", _rename_losses_to_losses2,
         "assignments.lecture3.notebooks.losses2",
         ("expected the notebook solutions/lecture3/losses2.ipynb to exist",), notebooks=True),
    Case("notebook-not-listed", _extra_notebook,
         "assignments.lecture3.notebooks", ("expected an entry for solutions/lecture3/extra.ipynb",),
         notebooks=True),
    Case("test-cell-not-in-notebook",
         _set_test("svm_loss_naive", "svm_loss_naive-extra", points=1, check="svm_gradient"),
         f"{TASKS}.svm_loss_naive.tests.svm_loss_naive-extra",
         (f"expected an autograded test cell with this grade_id in {NB_FILE}",), notebooks=True),
    Case("test-cell-is-an-answer-cell",  # manual answer cell listed as a test cell of its task
         _add_task("svm_q7_explanation", {"tests": {"svm_q7_explanation-x": {"points": 1, "check": "svm_q7"}}}),
         f"{TASKS}.svm_q7_explanation.tests.svm_q7_explanation-x",
         (f"expected an autograded test cell with this grade_id in {NB_FILE}",), notebooks=True),
    Case("manual-cell-not-in-notebook", _add_task("ghost", {"manual": 1}),
         f"{TASKS}.ghost.manual", (f"expected a manually graded answer cell 'ghost' in {NB_FILE}",),
         notebooks=True),
    Case("manual-on-autograded-answer", _set_manual("svm_loss_naive", 1),
         f"{TASKS}.svm_loss_naive.manual",
         (f"expected a manually graded answer cell 'svm_loss_naive' in {NB_FILE}",), notebooks=True),
    Case("orphan-test-cell-task-deleted", _delete_task("svm_vs_softmax"),
         f"{TASKS}", (f"expected a task listing the graded cell 'svm_vs_softmax-jiggle' of {NB_FILE}",),
         notebooks=True),
    Case("orphan-test-cell-test-deleted", lambda d, r: cells_of(d, "softmax").pop("softmax-stability"),
         f"{TASKS}", (f"expected a task listing the graded cell 'softmax-stability' of {NB_FILE}",),
         notebooks=True),
    Case("orphan-manual-cell", _delete_task("svm_q7_explanation"),
         f"{TASKS}", (f"expected a task listing the graded cell 'svm_q7_explanation' of {NB_FILE}",),
         notebooks=True),
    Case("grade-call-names-another-cell", _edit_test_source("svm_loss_naive-gradient", "svm_loss_naive-gradeint"),
         f"{TASKS}.svm_loss_naive.tests.svm_loss_naive-gradient",
         (f'expected its test cell in {NB_FILE} to call grade("svm_loss_naive-gradient", ...) once, '
          'found grade("svm_loss_naive-gradeint", ...)',), notebooks=True),
    Case("grade-call-missing", _edit_test_source("svm_loss_naive-gradient", None),
         f"{TASKS}.svm_loss_naive.tests.svm_loss_naive-gradient",
         ('to call grade("svm_loss_naive-gradient", ...) once, found no grade() call',), notebooks=True),
]

NO_CELL = "expected 'tests' (autograded cells) or 'manual' (points graded by hand): this task names no cell"
NO_CELL_CASES = [
    Case("empty-task", _add_task("svm_q7_explanation", {}), f"{TASKS}.svm_q7_explanation", (NO_CELL,)),
    Case("empty-tests", _add_task("svm_vs_softmax", {"tests": {}}), f"{TASKS}.svm_vs_softmax", (NO_CELL,)),
    Case("null-manual", _add_task("svm_q7_explanation", {"manual": None}), f"{TASKS}.svm_q7_explanation",
         (NO_CELL,)),
    Case("null-tests", _add_task("softmax", {"tests": None}), f"{TASKS}.softmax", (NO_CELL,)),
]

BAD_NUMBERS = [
    pytest.param(-1, "got -1", id="negative"),
    pytest.param("2", "got '2'", id="string"),
    pytest.param(True, "got true", id="bool"),
    pytest.param(float("nan"), "got NaN", id="nan"),
    pytest.param(float("inf"), "got Infinity", id="inf"),
    pytest.param([1], "got [1]", id="list"),
]


def _points_cases() -> list:
    cases = []
    for p in BAD_NUMBERS:
        value, got = p.values
        cases.append(pytest.param(
            Case(f"test-points-{p.id}", _set_test("svm_loss_naive", GRADIENT, points=value),
                 f"{GRADIENT_KEY}.points", ("expected a number >= 0", got)), id=f"test-points-{p.id}"))
        cases.append(pytest.param(
            Case(f"manual-{p.id}", _set_manual("svm_vs_softmax_explanation", value),
                 f"{TASKS}.svm_vs_softmax_explanation.manual", ("expected a number > 0", got)),
            id=f"manual-{p.id}"))
    cases.append(pytest.param(
        Case("manual-zero", _set_manual("svm_vs_softmax_explanation", 0),
             f"{TASKS}.svm_vs_softmax_explanation.manual", ("expected a number > 0, got 0",)), id="manual-zero"))
    return cases


TOL_KEY = "policy.tolerances.gradient_rel_error"
TOLERANCE_CASES = [
    pytest.param(Case(f"tolerance-{i}", _set_tolerance("gradient_rel_error", v), TOL_KEY,
                      ("expected a number > 0 and <= 1", got)), id=i)
    for i, v, got in [
        ("zero", 0, "got 0"),
        ("negative", -1e-6, "got -1e-06"),
        ("above-one", 1.5, "got 1.5"),
        ("string", "tiny", "got 'tiny'"),
        ("1e-6-is-a-string-in-yaml-1.1", "1e-6", "got '1e-6'"),
        ("bool", True, "got true"),
        ("nan", float("nan"), "got NaN"),
    ]
] + [
    pytest.param(Case(f"tolerance-{name}", _set_tolerance(name, 0), f"policy.tolerances.{name}",
                      ("expected a number > 0 and <= 1, got 0",)), id=f"{name}-zero")
    for name in ("value_rel_error", "answer_rel_error")
] + [
    pytest.param(Case("tolerances-not-a-mapping", lambda d, r: d["policy"].update(tolerances=1e-6),
                      "policy.tolerances", ("expected a mapping, got 1e-06",)), id="not-a-mapping"),
]

POLICY_CASES = [
    pytest.param(Case(f"policy-{i}", _set_policy(name, v), f"policy.{name}", (expected,)), id=i)
    for i, name, v, expected in [
        ("hypothesis_max_examples-zero", "hypothesis_max_examples", 0, "expected an integer >= 1, got 0"),
        ("hypothesis_max_examples-float", "hypothesis_max_examples", 10.0, "expected an integer >= 1, got 10.0"),
        ("cell_timeout_seconds-fraction", "cell_timeout_seconds", 2.5, "expected an integer > 0, got 2.5"),
        ("cell_timeout_seconds-zero", "cell_timeout_seconds", 0, "expected an integer > 0, got 0"),
        ("cell_timeout_seconds-string", "cell_timeout_seconds", "60s", "expected an integer > 0, got '60s'"),
        ("seed-negative", "seed", -1, "expected an integer >= 0, got -1"),
        ("seed-bool", "seed", False, "expected an integer >= 0, got false"),
        ("seed-float", "seed", 231.0, "expected an integer >= 0, got 231.0"),
        ("answer_budget_seconds-zero", "answer_budget_seconds", 0, "expected a number > 0, got 0"),
        ("notebook_budget_seconds-string", "notebook_budget_seconds", "2m", "expected a number > 0, got '2m'"),
        ("student_budget_seconds-negative", "student_budget_seconds", -5, "expected a number > 0, got -5"),
        ("student_budget_seconds-bool", "student_budget_seconds", True, "expected a number > 0, got true"),
        ("max_answer_cell_bytes-float", "max_answer_cell_bytes", 1.5e5, "expected an integer >= 1000, got 150000.0"),
        ("max_answer_cell_bytes-tiny", "max_answer_cell_bytes", 10, "expected an integer >= 1000, got 10"),
        ("kernel_memory_mb-tiny", "kernel_memory_mb", 100, "expected an integer >= 512, got 100"),
        ("kernel_processes-string", "kernel_processes", "many", "expected an integer >= 16, got 'many'"),
        ("kernel_cpu_seconds-float", "kernel_cpu_seconds", 60.5, "expected an integer >= 10, got 60.5"),
        ("kernel_file_mb-zero", "kernel_file_mb", 0, "expected an integer >= 1, got 0"),
        ("kernel_disk_mb-bool", "kernel_disk_mb", True, "expected an integer >= 16, got true"),
    ]
]

DATA_CASES = [
    pytest.param(Case(i, lambda d, r, v=v: d.setdefault("data", {}).update(kernel_data=v), key, (expected,)), id=i)
    for i, v, key, expected in [
        ("kernel_data-not-a-list", "data/cifar", "data.kernel_data",
         "expected a list of paths relative to course.yaml, got 'data/cifar'"),
        ("kernel_data-absolute", ["/etc"], "data.kernel_data[0]",
         "expected a path relative to course.yaml, inside the course, got '/etc'"),
        ("kernel_data-escapes", ["data/../../home"], "data.kernel_data[0]",
         "expected a path relative to course.yaml, inside the course, got 'data/../../home'"),
    ]
] + [
    pytest.param(Case("policy-not-a-mapping", lambda d, r: d.update(policy=[1, 2]),
                      "policy", ("expected a mapping, got [1, 2]",)), id="policy-not-a-mapping"),
]

CHECK_CASES = [
    pytest.param(Case("check-typo", _set_test("svm_loss_naive", GRADIENT, check="svm_gradinet"),
                      f"{GRADIENT_KEY}.check",
                      ("expected the name of a check in grader.checks, got 'svm_gradinet'",)), id="svm_gradinet"),
    pytest.param(Case("check-number", _set_test("svm_loss_naive", GRADIENT, check=5),
                      f"{GRADIENT_KEY}.check", ("expected the name of a check in grader.checks, got 5",)),
                 id="number"),
    pytest.param(Case("check-empty", _set_test("svm_loss_naive", GRADIENT, check=""),
                      f"{GRADIENT_KEY}.check", ("expected the name of a check in grader.checks, got ''",)),
                 id="empty"),
]


def _rename_test(task: str, old: str, new: Any) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        rename_key(cells_of(d, task), old, new)
    return mutate


GRADE_ID_CASES = [
    pytest.param(Case(f"grade-id-{i}", _rename_test("svm_loss_naive", GRADIENT, gid),
                      f"{TASKS}.svm_loss_naive.tests.{gid}",
                      ("expected a test cell grade_id of the form 'svm_loss_naive-<aspect>'",)), id=i)
    for i, gid in [
        ("other-tasks-prefix", "svm_loss_vectorized-gradient"),
        ("no-aspect", "svm_loss_naive"),
        ("empty-aspect", "svm_loss_naive-"),
        ("two-dashes", "svm_loss_naive-grad-ient"),
        ("space", "svm_loss_naive-grad ient"),
        ("prefix-without-dash", "svm_loss_naivegradient"),
        ("int-key", 7),
    ]
] + [
    pytest.param(Case("task-name-with-dash", lambda d, r: rename_key(tasks_of(d), "softmax", "soft-max"),
                      f"{TASKS}.soft-max", ("expected a task name of letters, digits and _",)),
                 id="task-name-with-dash"),
    pytest.param(Case("notebook-name-with-dot",
                      lambda d, r: rename_key(d["assignments"]["lecture3"]["notebooks"], "losses", "losses.v2"),
                      "assignments.lecture3.notebooks.losses.v2",
                      ("expected a notebook name of letters, digits and _",)), id="notebook-name-with-dot"),
    pytest.param(Case("no-tasks", lambda d, r: d["assignments"]["lecture3"]["notebooks"]["losses"].update(tasks={}),
                      f"{TASKS}", ("expected a non-empty mapping of tasks, got {}",)), id="no-tasks"),
    pytest.param(Case("course-id-with-space", lambda d, r: d.update(course_id="cs 231n"),
                      "course_id", ("expected a course id of letters, digits, '_', '.' and '-'",)),
                 id="course-id-with-space"),
]


def _copy_notebook(new: str, tasks: list[str]) -> Callable[[dict, Path], None]:
    def mutate(d: dict, root: Path) -> None:
        nbs = d["assignments"]["lecture3"]["notebooks"]
        nbs[new] = {"tasks": {t: copy.deepcopy(tasks_of(d)[t]) for t in tasks}}
    return mutate


def _second_assignment(d: dict, root: Path) -> None:
    d["assignments"]["lecture4"] = {"notebooks": {"essays": {"tasks": {"svm_q7_explanation": {"manual": 1}}}}}


DUPLICATE_CASES = [
    pytest.param(Case("duplicate-test-cell", _copy_notebook("losses_copy", ["multiclass_hinge_loss"]),
                      "assignments.lecture3.notebooks.losses_copy.tasks.multiclass_hinge_loss",
                      ("expected grade_ids unique in the course; 'multiclass_hinge_loss-lecture_example' "
                       f"is also in {TASKS}.multiclass_hinge_loss",)), id="test-cell-in-two-notebooks"),
    pytest.param(Case("duplicate-manual-cell", _second_assignment,
                      "assignments.lecture4.notebooks.essays.tasks.svm_q7_explanation",
                      ("expected grade_ids unique in the course; 'svm_q7_explanation' "
                       f"is also in {TASKS}.svm_q7_explanation",)), id="manual-cell-in-two-assignments"),
]

SHAPE_CASES = [
    pytest.param(Case("top-level-list", lambda d, r: [d], "(top level)", ("expected a mapping, got [",),
                      replace=True), id="top-level-list"),
    pytest.param(Case("top-level-string", lambda d, r: "cs231n", "(top level)",
                      ("expected a mapping, got 'cs231n'",), replace=True), id="top-level-string"),
    pytest.param(Case("assignments-list", lambda d, r: d.update(assignments=["lecture3"]), "assignments",
                      ("expected a non-empty mapping of assignments, got [\"lecture3\"]",)), id="assignments-list"),
    pytest.param(Case("tests-list", _add_task("softmax", {"tests": ["softmax-values"]}), f"{TASKS}.softmax.tests",
                      ("expected a mapping of test cell grade_ids to {points, check}",)), id="tests-list"),
    pytest.param(Case("test-spec-scalar", lambda d, r: cells_of(d, "softmax").update({"softmax-values": 1}),
                      f"{TASKS}.softmax.tests.softmax-values", ("expected a mapping, got 1",)), id="test-spec-scalar"),
    pytest.param(Case("task-null", _add_task("softmax", None), f"{TASKS}.softmax", ("expected a mapping, got null",)),
                 id="task-null"),
]

ALL_CASES = [pytest.param(c, id=c.id) for c in (
    TYPO_CASES + MISSING_KEY_CASES + NOTEBOOK_CASES + NO_CELL_CASES
    + [p.values[0] for p in _points_cases() + TOLERANCE_CASES + POLICY_CASES + DATA_CASES + CHECK_CASES
       + GRADE_ID_CASES + DUPLICATE_CASES + SHAPE_CASES]
)]


# -- the real course -------------------------------------------------------------------------------


def _totals(course: Course, notebook: str = "losses") -> tuple[float, float, float]:
    """Points of one notebook: all, autograded, by hand."""
    tasks = [t for _, nb in course.notebooks() if nb.name == notebook for t in nb.tasks.values()]
    autograded = sum(c.points for t in tasks for c in t.tests.values())
    manual = sum(t.manual or 0 for t in tasks)
    return sum(t.points for t in tasks), autograded, manual


def _notebook_totals(path: Path) -> tuple[float, float, float]:
    """The same, as the solution notebook's nbgrader metadata gives them: a task added to the course
    changes both sides, so no total is pinned here."""
    cells = [c["metadata"]["nbgrader"] for c in json.loads(path.read_text(encoding="utf-8"))["cells"]
             if c.get("metadata", {}).get("nbgrader", {}).get("grade")]
    autograded = sum(c["points"] for c in cells if not c.get("solution") and not c.get("task"))
    manual = sum(c["points"] for c in cells if c.get("solution") or c.get("task"))
    return autograded + manual, autograded, manual


def test_real_course_loads_with_notebooks_checked():
    course = load_course(COURSE_YAML, check_notebooks=True)
    assert course.course_id == "cs231n-lecture3"
    assert list(course.assignments) == ["lecture3"]
    assert _totals(course) == _notebook_totals(REPO / NB_FILE)
    assert _totals(course)[1] > 0 and _totals(course)[2] > 0


def test_copied_course_loads_and_matches_notebook_points(tmp_path):
    """The copy the broken cases start from is itself valid, and course.yaml's points are the notebook's."""
    import json

    path = write_course(tmp_path, copy.deepcopy(REAL), with_solutions=True)
    course = load_course(path, check_notebooks=True)
    assert _totals(course) == _notebook_totals(REPO / NB_FILE)
    nb = json.loads((tmp_path / NB_FILE).read_text(encoding="utf-8"))
    in_notebook = {c["metadata"]["nbgrader"]["grade_id"]: c["metadata"]["nbgrader"]["points"]
                   for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade")}
    assert course.assignments["lecture3"].notebooks["losses"].graded_cells == in_notebook


def test_policy_is_read_from_course_yaml():
    policy = load_course(COURSE_YAML, check_notebooks=False).policy
    assert (policy.cell_timeout_seconds, policy.seed, policy.hypothesis_max_examples) == (60, 231, 15)
    assert policy.tolerances.gradient_rel_error == 1e-6
    assert policy.tolerances.answer_rel_error == 1e-3
    assert (policy.answer_budget_seconds, policy.notebook_budget_seconds, policy.student_budget_seconds,
            policy.max_answer_cell_bytes) == (30, 120, 400, 100_000)


def test_grading_budgets_default_when_course_yaml_leaves_them_out(tmp_path):
    text = "\n".join(line for line in COURSE_YAML.read_text().splitlines()
                     if "budget_seconds" not in line and "max_answer_cell_bytes" not in line)
    path = tmp_path / "course.yaml"
    path.write_text(text)
    policy = load_course(path, check_notebooks=False).policy
    assert (policy.answer_budget_seconds, policy.notebook_budget_seconds, policy.student_budget_seconds,
            policy.max_answer_cell_bytes) == (30, 120, 400, 100_000)
    path.write_text(text.replace("  seed: 231", "  seed: 231\n  notebook_budget_seconds: 2.5"))
    assert load_course(path, check_notebooks=False).policy.notebook_budget_seconds == 2.5


@pytest.mark.parametrize("mutate", [
    pytest.param(lambda d: cells_of(d, "svm_loss_naive")[GRADIENT].update(points=0), id="zero-points"),
    pytest.param(lambda d: cells_of(d, "svm_loss_naive")[GRADIENT].update(points=2.5), id="fractional-points"),
    pytest.param(lambda d: d["policy"]["tolerances"].update(gradient_rel_error=1), id="tolerance-one"),
    pytest.param(lambda d: d["policy"].update(seed=0), id="seed-zero"),
    pytest.param(lambda d: d["policy"].update(hypothesis_max_examples=1), id="one-example"),
    pytest.param(lambda d: d.pop("policy"), id="no-policy"),
])
def test_boundary_values_are_accepted(tmp_path, mutate):
    data = copy.deepcopy(REAL)
    mutate(data)
    load_course(write_course(tmp_path, data, with_solutions=True), check_notebooks=True)


def test_source_directory_is_honoured(tmp_path):
    data = copy.deepcopy(REAL)
    path = write_course(tmp_path, data)
    shutil.copytree(SOLUTIONS, tmp_path / "src")
    load_course(path, source_directory="src")
    (tmp_path / "src" / "lecture3" / "losses.ipynb").unlink()
    msg = config_error(path, source_directory="src")
    assert_names_key(msg, NB)
    assert "expected the notebook src/lecture3/losses.ipynb to exist" in msg


def test_notebooks_are_not_checked_when_asked(tmp_path):
    data = copy.deepcopy(REAL)
    _add_notebook_losses2(data, tmp_path)
    load_course(write_course(tmp_path, data), check_notebooks=False)  # no solutions/ at all


def test_parse_course_checks_check_names_only_when_given_a_registry():
    data = copy.deepcopy(REAL)
    cells_of(data, "svm_loss_naive")[GRADIENT]["check"] = "svm_gradinet"
    text = yaml.safe_dump(data, sort_keys=False)
    parse_course(text, Path("course.yaml"))  # no registry: any name
    with pytest.raises(CourseConfigError, match=re.escape(f"{GRADIENT_KEY}.check: expected the name of a check")):
        parse_course(text, Path("course.yaml"), known_checks=lambda name: name != "svm_gradinet")


# -- broken configs --------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in TYPO_CASES])
def test_typo_in_a_key_suggests_the_right_one(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    for fragment in case.expected:
        assert fragment in msg


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in MISSING_KEY_CASES])
def test_missing_required_key(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert msg.endswith(case.expected[0])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in NOTEBOOK_CASES])
def test_course_and_notebooks_disagree(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    for fragment in case.expected:
        assert fragment in msg


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in NO_CELL_CASES])
def test_task_that_names_no_cell(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert "names no cell" in msg
    assert msg.endswith(NO_CELL)


@pytest.mark.parametrize("case", _points_cases())
def test_bad_points(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    for fragment in case.expected:
        assert fragment in msg


@pytest.mark.parametrize("case", TOLERANCE_CASES)
def test_bad_tolerances(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    for fragment in case.expected:
        assert fragment in msg


@pytest.mark.parametrize("case", POLICY_CASES)
def test_bad_policy_integers(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert case.expected[0] in msg


@pytest.mark.parametrize("case", DATA_CASES)
def test_bad_kernel_data(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert case.expected[0] in msg


def test_kernel_limits_default_and_are_read(tmp_path):
    data = copy.deepcopy(REAL)
    policy = load_course(write_course(tmp_path, data), check_notebooks=False).policy
    assert (policy.kernel_memory_mb, policy.kernel_processes, policy.kernel_cpu_seconds, policy.kernel_file_mb,
            policy.kernel_disk_mb) == (4096, 256, 600, 64, 512)
    data["policy"].update(kernel_memory_mb=1024, kernel_processes=32)
    data["data"] = {"kernel_data": ["datasets/cifar-10"]}
    course = load_course(write_course(tmp_path, data), check_notebooks=False)
    assert (course.policy.kernel_memory_mb, course.policy.kernel_processes) == (1024, 32)
    assert course.data.kernel_data == ("datasets/cifar-10",)


@pytest.mark.parametrize("case", CHECK_CASES)
def test_unknown_check(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert case.expected[0] in msg


@pytest.mark.parametrize("case", GRADE_ID_CASES)
def test_badly_formed_names(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert case.expected[0] in msg


@pytest.mark.parametrize("case", DUPLICATE_CASES)
def test_duplicate_grade_id_across_tasks(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert case.expected[0] in msg


@pytest.mark.parametrize("case", SHAPE_CASES)
def test_wrong_shapes(tmp_path, case):
    msg = case.run(tmp_path)
    assert_names_key(msg, case.key)
    assert case.expected[0] in msg


# -- the file itself -------------------------------------------------------------------------------


def _broken_line(text: str, old: str, new: str) -> tuple[str, int]:
    """Replace `old` (once) and return the text and the 1-based line of the change."""
    assert text.count(old) == 1, old
    line = text[:text.index(old)].count("\n") + 1
    return text.replace(old, new), line


@pytest.mark.parametrize("text, line", [
    pytest.param("course_id: x\npolicy: [1, 2\nassignments: {}\n", 3, id="unclosed-bracket"),
    pytest.param("course_id: x\npolicy: {seed: 1\n", 3, id="unclosed-brace"),
    pytest.param("course_id: x\n\tpolicy: {}\n", 2, id="tab-indent"),
    pytest.param("course_id: a: b\n", 1, id="mapping-in-scalar"),
    pytest.param("course_id: x\npolicy:\n  seed: 1\n bad: 2\n", 4, id="bad-indent"),
    pytest.param("course_id: 'x\n", 2, id="unclosed-quote"),
])
def test_invalid_yaml_names_the_line(tmp_path, text, line):
    path = tmp_path / "course.yaml"
    path.write_text(text, encoding="utf-8")
    msg = config_error(path, check_notebooks=False)
    assert msg.startswith(f"course.yaml: line {line}: expected valid YAML, "), msg


def test_invalid_yaml_in_the_real_file(tmp_path):
    text, line = _broken_line(REAL_TEXT, "seed: 231", "seed: [231")
    path = tmp_path / "course.yaml"
    path.write_text(text, encoding="utf-8")
    msg = config_error(path)
    m = re.match(r"course\.yaml: line (\d+): expected valid YAML, ", msg)
    assert m, msg
    assert int(m.group(1)) >= line


def test_control_character_is_invalid_yaml(tmp_path):
    path = tmp_path / "course.yaml"
    path.write_text("course_id: x\x01\n", encoding="utf-8")
    msg = config_error(path, check_notebooks=False)
    assert msg.startswith("course.yaml: (top level): expected valid YAML, unacceptable character"), msg


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: None, id="missing"),
    pytest.param(lambda p: p.mkdir(), id="directory"),
])
def test_unreadable_file(tmp_path, make):
    path = tmp_path / "course.yaml"
    make(path)
    msg = config_error(path)
    assert msg.startswith(f"course.yaml: expected a readable file at {path}, "), msg


@pytest.mark.parametrize("text", [
    pytest.param("", id="empty-file"),
    pytest.param("# only a comment\n", id="only-comments"),
    pytest.param("- course_id: x\n- assignments: {}\n", id="list"),
    pytest.param("42\n", id="number"),
])
def test_top_level_not_a_mapping(tmp_path, text):
    path = tmp_path / "course.yaml"
    path.write_text(text, encoding="utf-8")
    msg = config_error(path)
    assert msg.startswith("course.yaml: (top level): expected a mapping, got "), msg


@pytest.mark.parametrize("case", ALL_CASES)
def test_every_message_is_one_line_naming_the_file(tmp_path, case):
    msg = case.run(tmp_path)  # run() asserts the one-line, "course.yaml: ", "expected" shape
    assert msg.count("course.yaml: ") == 1
    assert_names_key(msg, case.key)


def test_the_file_is_named_as_it_is_called(tmp_path):
    data = copy.deepcopy(REAL)
    data["policy"]["seed"] = -1
    path = tmp_path / "spring.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CourseConfigError) as info:
        load_course(path, check_notebooks=False)
    assert str(info.value).startswith("spring.yaml: policy.seed: expected an integer >= 0")


# -- edge cases that once crashed or slipped through -------------------------------------------


def test_edge_non_utf8_file_is_one_line(tmp_path):
    path = tmp_path / "course.yaml"
    path.write_bytes(REAL_TEXT.replace("# The one place", "# Th\u00e9 one place").encode("latin-1"))
    config_error(path, check_notebooks=False)


def test_edge_huge_integer_points_is_one_line(tmp_path):
    data = copy.deepcopy(REAL)
    cells_of(data, "svm_loss_naive")[GRADIENT]["points"] = 10 ** 400
    msg = config_error(write_course(tmp_path, data), check_notebooks=False)
    assert_names_key(msg, f"{GRADIENT_KEY}.points")


@pytest.mark.parametrize("text, key", [
    pytest.param(REAL_TEXT.replace("seed: 231", "seed: {2024-01-01: 1}"), "policy.seed", id="date-key"),
    pytest.param("course_id: x\npolicy: &p [*p]\nassignments: {}\n", "policy", id="recursive-alias"),
])
def test_edge_unprintable_offending_value_is_one_line(text, key):
    with pytest.raises(CourseConfigError) as info:
        parse_course(text, Path("course.yaml"))
    assert_one_line(str(info.value))
    assert_names_key(str(info.value), key)


def test_edge_duplicate_yaml_key_is_rejected(tmp_path):
    line = "svm_vs_softmax-jiggle: {points: 1, check: svm_vs_softmax}"
    text, _ = _broken_line(REAL_TEXT, line, f"{line}\n              svm_vs_softmax-jiggle: "
                                             "{points: 5, check: svm_vs_softmax}")
    path = tmp_path / "course.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copytree(SOLUTIONS, tmp_path / "solutions")
    msg = config_error(path)
    assert "svm_vs_softmax-jiggle" in msg


def test_edge_course_id_with_trailing_newline_is_rejected(tmp_path):
    data = copy.deepcopy(REAL)
    data["course_id"] = "cs231n-lecture3\n"
    msg = config_error(write_course(tmp_path, data), check_notebooks=False)
    assert_names_key(msg, "course_id")


@pytest.mark.parametrize("rename, check_notebooks", [
    pytest.param(lambda d: rename_key(d, "policy", "polciy\n"), False, id="unknown-key"),
    pytest.param(lambda d: rename_key(tasks_of(d), "svm_q7_explanation", "svm_q7_explanation\n"), True,
                 id="task-name-passes-GRADE_ID"),
])
def test_edge_key_with_newline_gives_one_line(tmp_path, rename, check_notebooks):
    data = copy.deepcopy(REAL)
    rename(data)
    path = write_course(tmp_path, data, with_solutions=check_notebooks)
    config_error(path, check_notebooks=check_notebooks)


# -- command lines ---------------------------------------------------------------------------------


def test_check_course_cli_ok(capsys):
    assert cli.main(["--course", str(COURSE_YAML), "check-course"]) == 0
    out, err = capsys.readouterr()
    course = load_course(COURSE_YAML)
    n_tasks = sum(len(nb.tasks) for _, nb in course.notebooks())
    n_cells = sum(len(nb.graded_cells) for _, nb in course.notebooks())
    assert out == f"{COURSE_YAML}: OK (1 assignments, {n_tasks} tasks, {n_cells} graded cells)\n"
    assert err == ""


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.id) for c in [
        Case("negative-points", _set_test("svm_loss_naive", GRADIENT, points=-3), f"{GRADIENT_KEY}.points",
             ("expected a number >= 0, got -3",)),
        Case("orphan-cell", _delete_task("svm_vs_softmax"), TASKS,
             ("expected a task listing the graded cell 'svm_vs_softmax-jiggle'",), notebooks=True),
    ]
])
def test_check_course_cli_broken(tmp_path, capsys, case):
    data = copy.deepcopy(REAL)
    if case.notebooks:
        shutil.copytree(SOLUTIONS, tmp_path / "solutions")
    case.mutate(data, tmp_path)
    path = write_course(tmp_path, data)
    assert cli.main(["--course", str(path), "check-course"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: course.yaml: {case.key}: "), err
    assert case.expected[0] in lines[0]


def test_check_course_cli_missing_file(tmp_path, capsys):
    assert cli.main(["--course", str(tmp_path / "course.yaml"), "check-course"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: course.yaml: expected a readable file at "), err


@pytest.mark.e2e
def test_nbgrader_generate_assignment_stops_on_broken_course_yaml(tmp_path):
    for name in ("course.yaml", "nbgrader_config.py"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copytree(SOLUTIONS, tmp_path / "solutions")
    data = yaml.safe_load((tmp_path / "course.yaml").read_text(encoding="utf-8"))
    cells_of(data, "svm_loss_naive")[GRADIENT]["points"] = -3
    write_course(tmp_path, data)

    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=str(bin_dir) + os.pathsep + os.environ.get("PATH", ""))
    exe = bin_dir / "nbgrader"
    proc = subprocess.run([str(exe) if exe.exists() else "nbgrader", "generate_assignment", "lecture3"],
                          cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=300)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0, output
    assert "Traceback" not in output, output
    errors = [line for line in output.splitlines() if line.startswith("error: course.yaml:")]
    assert errors == [f"error: course.yaml: {GRADIENT_KEY}.points: expected a number >= 0, got -3"], output
    assert not (tmp_path / "release").exists() and not (tmp_path / "assignments").exists()


# -- check parameters and data ---------------------------------------------------------------------


HYPER = "hyperparameters-validation"    # check tuned_hyperparameters: params min_val_accuracy, num_iters, ...
HYPER_KEY = "assignments.lecture3.notebooks.optimization.tasks.hyperparameters.tests.hyperparameters-validation"


def hyper_cells(data: dict) -> dict:
    return data["assignments"]["lecture3"]["notebooks"]["optimization"]["tasks"]["hyperparameters"]["tests"]


def test_params_reach_the_test_cell_with_the_checks_defaults(tmp_path):
    data = copy.deepcopy(REAL)
    hyper_cells(data)[HYPER]["params"] = {"min_val_accuracy": 0.9, "num_iters": 300}
    course = load_course(write_course(tmp_path, data), check_notebooks=False)
    params = dict(course.test_cell(HYPER).params)
    assert params["min_val_accuracy"] == 0.9 and params["num_iters"] == 300
    assert params["cifar10_min_val_accuracy"] == 0.30          # the check's declared default
    assert dict(course.test_cell("svm_loss_naive-loss").params) == {}


@pytest.mark.parametrize("params, key, expected", [
    pytest.param([1, 2], "params", "expected a mapping", id="not-a-mapping"),
    pytest.param({"min_val_acuracy": 0.9}, "params.min_val_acuracy",
                 "unknown key (did you mean 'min_val_accuracy'?); expected one of", id="typo"),
    pytest.param({"min_val_accuracy": "high"}, "params.min_val_accuracy", "expected a number >= 0", id="text"),
    pytest.param({"min_val_accuracy": float("nan")}, "params.min_val_accuracy", "expected a number", id="nan"),
    pytest.param({"num_iters": 2.5}, "params.num_iters", "expected an integer >= 0", id="not-an-integer"),
    pytest.param({"min_val_accuracy": [1, 2]}, "params.min_val_accuracy", "expected a number", id="list-value"),
])
def test_bad_params(tmp_path, params, key, expected):
    data = copy.deepcopy(REAL)
    hyper_cells(data)[HYPER]["params"] = params
    msg = config_error(write_course(tmp_path, data), check_notebooks=False)
    assert_names_key(msg, f"{HYPER_KEY}.{key}")
    assert expected in msg and "\n" not in msg


def test_params_on_a_check_that_takes_none_are_an_error(tmp_path):
    data = copy.deepcopy(REAL)
    cells_of(data, "svm_loss_naive")[GRADIENT]["params"] = {"threshold": 1.0}
    msg = config_error(write_course(tmp_path, data), check_notebooks=False)
    assert_names_key(msg, f"{GRADIENT_KEY}.params")
    assert "no params: check svm_gradient takes none" in msg


def test_every_param_in_course_yaml_is_declared_by_its_check():
    from grader.checks import get_params
    course = load_course(REPO / "course.yaml", check_notebooks=False)
    for _, nb in course.notebooks():
        for task in nb.tasks.values():
            for cell in task.tests.values():
                assert set(cell.params) <= set(get_params(cell.check)), cell.grade_id


def test_data_section(tmp_path):
    data = copy.deepcopy(REAL)
    assert load_course(write_course(tmp_path, data), check_notebooks=False).data.cifar10_dir is None
    data["data"] = {"cifar10_dir": "datasets/cifar-10-batches-py"}
    loaded = load_course(write_course(tmp_path, data), check_notebooks=False)
    assert loaded.data.cifar10_dir == "datasets/cifar-10-batches-py"
    data["data"] = {"cifar_dir": "x"}
    msg = config_error(write_course(tmp_path, data), check_notebooks=False)
    assert_names_key(msg, "data.cifar_dir")
    assert "did you mean 'cifar10_dir'?" in msg
    data["data"] = {"cifar10_dir": 3}
    assert_names_key(config_error(write_course(tmp_path, data), check_notebooks=False), "data.cifar10_dir")
