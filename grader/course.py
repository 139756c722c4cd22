"""course.yaml: the one place for assignments, notebooks, tasks, points and grading policy.

`load_course(path)` parses and validates the file and returns frozen dataclasses. Every problem is
reported as a `CourseConfigError` whose message is one line naming the file, the key and what was
expected, so that instructors never see a traceback for a typo.

Shape of the file::

    course_id: cs231n-lecture3
    policy: {cell_timeout_seconds, seed, hypothesis_max_examples, call_timeout_seconds, worker_memory_mb,
             answer_budget_seconds, notebook_budget_seconds, student_budget_seconds, max_answer_cell_bytes,
             kernel_memory_mb, kernel_processes, kernel_cpu_seconds, kernel_file_mb, kernel_disk_mb,
             tolerances: {...}}
    data: {cifar10_dir, kernel_data: [paths the student's kernel may read]}
    assignments:
      lecture3:
        notebooks:
          losses:
            tasks:
              svm_loss_naive:                 # the answer cell's grade_id
                tests:                        # autograded test cells: "<task>-<aspect>"
                  svm_loss_naive-gradient: {points: 3, check: svm_gradient}
              svm_q7_explanation:
                manual: 1                     # the answer cell itself is graded by hand
"""

from __future__ import annotations

import difflib
import json
import math
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import yaml

from .checks import get_params, is_check
from .course_model import (  # noqa: F401 - the course's model, importable from here as before
    Assignment,
    Course,
    CourseConfigError,
    Data,
    Notebook,
    Param,
    Policy,
    Task,
    TestCell,
    Tolerances,
)

GRADE_ID = re.compile(r"^[A-Za-z0-9_]+(-[A-Za-z0-9_]+)?$")


# -- validation --------------------------------------------------------------------------------


class _Reader:
    """Walks the parsed YAML, keeping the dotted key path for error messages."""

    def __init__(self, filename: str):
        self.filename = filename

    def fail(self, key: str, expected: str, got: Any = None, *, show_got: bool = True) -> None:
        where = key or "(top level)"
        tail = f", got {_short(got)}" if show_got else ""
        raise CourseConfigError(f"{self.filename}: {where}: expected {expected}{tail}")

    def mapping(self, value: Any, key: str, allowed: Iterable[str], required: Iterable[str] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(key, "a mapping", value)
        allowed = list(allowed)
        for k in value:
            if not isinstance(k, str):
                self.fail(_join(key, str(k)), "a text key", k)
            if allowed and k not in allowed:
                hint = difflib.get_close_matches(k, allowed, n=1)
                did_you_mean = f" (did you mean '{hint[0]}'?)" if hint else ""
                raise CourseConfigError(
                    f"{self.filename}: {_join(key, k)}: unknown key{did_you_mean}; "
                    f"expected one of {', '.join(allowed)}"
                )
        for k in required:
            if k not in value:
                self.fail(_join(key, k), "this key to be present", show_got=False)
        return value

    def named_mapping(self, value: Any, key: str, what: str) -> dict:
        """A mapping whose keys are names the instructor chooses (assignments, tasks, ...)."""
        if not isinstance(value, dict) or not value:
            self.fail(key, f"a non-empty mapping of {what}", value)
        for k in value:
            if not isinstance(k, str) or not GRADE_ID.fullmatch(k) or "-" in k:
                self.fail(_join(key, str(k)), f"a {what[:-1]} name of letters, digits and _", k)
        return value

    def number(self, value: Any, key: str, *, minimum: float = 0.0, strict: bool = False,
               integer: bool = False, maximum: float | None = None) -> float:
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        kind = "an integer" if integer else "a number"
        if maximum is not None:
            bound += f" and <= {maximum:g}"
        if isinstance(value, str) and _looks_like_number(value):
            # YAML 1.1 reads 1e-6 (no dot) as text.
            self.fail(key, f"{kind} {bound} (write it as 1.0e-6, not 1e-6: YAML reads the latter as text)", value)
        if (isinstance(value, bool) or not ok_type or not _finite(value)
                or (value <= minimum if strict else value < minimum)
                or (maximum is not None and value > maximum)):
            self.fail(key, f"{kind} {bound}", value)
        return value

    def text(self, value: Any, key: str, pattern: re.Pattern | None = None, what: str = "text") -> str:
        if not isinstance(value, str) or not value or (pattern and not pattern.fullmatch(value)):
            self.fail(key, what, value)
        return value


def _join(key: str, sub: str) -> str:
    return f"{key}.{sub}" if key else sub


def _short(value: Any) -> str:
    try:
        text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    except (TypeError, ValueError):  # keys json cannot write, self-referencing YAML anchors
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _looks_like_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.safe_load keeps the last of two equal keys; a course file must not say a thing twice."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _read_policy(r: _Reader, raw: Any) -> Policy:
    if raw is None:
        return Policy()
    raw = r.mapping(raw, "policy", ["cell_timeout_seconds", "seed", "hypothesis_max_examples", "tolerances",
                                    "call_timeout_seconds", "worker_memory_mb", "answer_budget_seconds",
                                    "notebook_budget_seconds", "student_budget_seconds", "max_answer_cell_bytes",
                                    *KERNEL_LIMITS])
    tol_raw = r.mapping(raw.get("tolerances", {}), "policy.tolerances",
                        ["gradient_rel_error", "value_rel_error", "answer_rel_error"])
    defaults = Tolerances()
    tolerances = Tolerances(**{
        name: r.number(tol_raw.get(name, getattr(defaults, name)), f"policy.tolerances.{name}",
                       minimum=0.0, strict=True, maximum=1.0)
        for name in ("gradient_rel_error", "value_rel_error", "answer_rel_error")
    })
    d = Policy()
    return Policy(
        cell_timeout_seconds=r.number(raw.get("cell_timeout_seconds", d.cell_timeout_seconds),
                                      "policy.cell_timeout_seconds", minimum=0, strict=True, integer=True),
        seed=r.number(raw.get("seed", d.seed), "policy.seed", minimum=0, integer=True),
        hypothesis_max_examples=r.number(raw.get("hypothesis_max_examples", d.hypothesis_max_examples),
                                         "policy.hypothesis_max_examples", minimum=1, integer=True),
        tolerances=tolerances,
        call_timeout_seconds=r.number(raw.get("call_timeout_seconds", d.call_timeout_seconds),
                                      "policy.call_timeout_seconds", minimum=0, strict=True, integer=True),
        worker_memory_mb=r.number(raw.get("worker_memory_mb", d.worker_memory_mb),
                                  "policy.worker_memory_mb", minimum=256, integer=True),
        **{name: r.number(raw.get(name, getattr(d, name)), f"policy.{name}", minimum=0, strict=True)
           for name in ("answer_budget_seconds", "notebook_budget_seconds", "student_budget_seconds")},
        max_answer_cell_bytes=r.number(raw.get("max_answer_cell_bytes", d.max_answer_cell_bytes),
                                       "policy.max_answer_cell_bytes", minimum=1000, integer=True),
        **{name: r.number(raw.get(name, getattr(d, name)), f"policy.{name}", minimum=minimum, integer=True)
           for name, minimum in KERNEL_LIMITS.items()},
    )


# The kernel's limits and their smallest sensible values (a kernel with numpy and matplotlib needs them).
KERNEL_LIMITS = {"kernel_memory_mb": 512, "kernel_processes": 16, "kernel_cpu_seconds": 10, "kernel_file_mb": 1,
                 "kernel_disk_mb": 16}


def _read_params(r: _Reader, raw: Any, key: str, check: str,
                 declared: Mapping[str, Param] | None) -> dict[str, Any]:
    """The test cell's params, each checked against what its check declares, defaults filled in.
    `declared` None: the checks are not known here (a bare parse), so only the shapes are checked."""
    raw = r.mapping(raw, key, declared or [])
    if declared is None:
        for name, value in raw.items():
            if isinstance(value, float):
                r.number(value, f"{key}.{name}", minimum=-math.inf)
            elif not isinstance(value, (bool, int, str)):
                r.fail(f"{key}.{name}", "a number, text or true/false", value)
        return dict(raw)
    if raw and not declared:
        r.fail(key, f"no params: check {check} takes none", raw)
    out = {name: p.default for name, p in declared.items() if p.default is not None}
    for name, value in raw.items():
        spec = declared[name]
        out[name] = r.number(value, f"{key}.{name}", minimum=spec.minimum, integer=spec.kind == "integer")
    return out


def _read_data(r: _Reader, raw: Any) -> Data:
    if raw is None:
        return Data()
    raw = r.mapping(raw, "data", ["cifar10_dir", "kernel_data"])
    cifar = raw.get("cifar10_dir")
    if cifar is not None:
        r.text(cifar, "data.cifar10_dir", what="a folder holding CIFAR-10's data_batch_1..5 and test_batch, or null")
    shared = raw.get("kernel_data", [])
    if not isinstance(shared, list):
        r.fail("data.kernel_data", "a list of paths relative to course.yaml", shared)
    for i, path in enumerate(shared):
        what = "a path relative to course.yaml, inside the course"
        r.text(path, f"data.kernel_data[{i}]", what=what)
        if Path(path).is_absolute() or ".." in Path(path).parts:
            r.fail(f"data.kernel_data[{i}]", what, path)
    return Data(cifar10_dir=cifar, kernel_data=tuple(shared))


def _read_task(r: _Reader, name: str, raw: Any, key: str, known_checks: Callable[[str], bool] | None,
               check_params: Callable[[str], Mapping[str, Param]] | None = None) -> Task:
    raw = r.mapping(raw, key, ["tests", "manual"])
    if not raw.get("tests") and raw.get("manual") is None:
        r.fail(key, "'tests' (autograded cells) or 'manual' (points graded by hand): this task names no cell",
               show_got=False)
    tests = {}
    tests_raw = raw.get("tests") or {}
    if not isinstance(tests_raw, dict):
        r.fail(f"{key}.tests", "a mapping of test cell grade_ids to {points, check}", tests_raw)
    for grade_id, spec in tests_raw.items():
        tkey = f"{key}.tests.{grade_id}"
        if not isinstance(grade_id, str) or not grade_id.startswith(f"{name}-") or not GRADE_ID.fullmatch(grade_id):
            r.fail(tkey, f"a test cell grade_id of the form '{name}-<aspect>'", grade_id)
        spec = r.mapping(spec, tkey, ["points", "check", "params"], required=["points", "check"])
        check = r.text(spec["check"], f"{tkey}.check", what="the name of a check in grader.checks")
        if known_checks is not None and not known_checks(check):
            r.fail(f"{tkey}.check", "the name of a check in grader.checks", check)
        params = _read_params(r, spec.get("params", {}), f"{tkey}.params", check,
                              check_params(check) if check_params is not None else None)
        tests[grade_id] = TestCell(grade_id, r.number(spec["points"], f"{tkey}.points"), check, params)
    manual = raw.get("manual")
    if manual is not None:
        manual = r.number(manual, f"{key}.manual", minimum=0, strict=True)
    return Task(name, tests, manual)


def parse_course(text: str, path: Path, known_checks: Callable[[str], bool] | None = None,
                 check_params: Callable[[str], Mapping[str, Param]] | None = None) -> Course:
    r = _Reader(path.name)
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(top level)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise CourseConfigError(f"{path.name}: {where}: expected valid YAML, {problem}") from None
    raw = r.mapping(raw, "", ["course_id", "policy", "data", "assignments"], required=["course_id", "assignments"])
    course_id = r.text(raw["course_id"], "course_id", re.compile(r"[A-Za-z0-9_.-]+"),
                       "a course id of letters, digits, '_', '.' and '-'")
    policy = _read_policy(r, raw.get("policy"))
    assignments = {}
    seen: dict[str, str] = {}
    for a_name, a_raw in r.named_mapping(raw["assignments"], "assignments", "assignments").items():
        a_key = f"assignments.{a_name}"
        a_raw = r.mapping(a_raw, a_key, ["notebooks"], required=["notebooks"])
        notebooks = {}
        for nb_name, nb_raw in r.named_mapping(a_raw["notebooks"], f"{a_key}.notebooks", "notebooks").items():
            nb_key = f"{a_key}.notebooks.{nb_name}"
            nb_raw = r.mapping(nb_raw, nb_key, ["tasks"], required=["tasks"])
            tasks = {}
            for t_name, t_raw in r.named_mapping(nb_raw["tasks"], f"{nb_key}.tasks", "tasks").items():
                task = _read_task(r, t_name, t_raw, f"{nb_key}.tasks.{t_name}", known_checks, check_params)
                for gid in task.graded_cells:
                    if gid in seen:
                        r.fail(f"{nb_key}.tasks.{t_name}",
                               f"grade_ids unique in the course; '{gid}' is also in {seen[gid]}", show_got=False)
                    seen[gid] = f"{nb_key}.tasks.{t_name}"
                tasks[t_name] = task
            notebooks[nb_name] = Notebook(nb_name, tasks)
        assignments[a_name] = Assignment(a_name, notebooks)
    return Course(path=path.resolve(), course_id=course_id, policy=policy, assignments=assignments,
                  data=_read_data(r, raw.get("data")))


GRADE_CALL = re.compile(r"""\bgrade\(\s*["']([^"']*)["']""")


def _graded_cells_of(nb_path: Path, filename: str) -> dict[str, dict]:
    """grade_id -> nbgrader metadata of every cell of a source notebook that nbgrader tracks."""
    found = {}
    try:
        for cell in json.loads(nb_path.read_text(encoding="utf-8"))["cells"]:
            meta = cell.get("metadata", {}).get("nbgrader")
            if meta and meta.get("grade_id"):
                source = cell.get("source", "")
                found[meta["grade_id"]] = dict(meta, cell_type=cell.get("cell_type"),
                                               source="".join(source) if isinstance(source, list) else source)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CourseConfigError(f"{filename}: expected a readable notebook (.ipynb JSON), "
                                f"{exc.__class__.__name__}") from None
    return found


def check_against_notebooks(course: Course, source_directory: str = "solutions") -> None:
    """Every notebook course.yaml names exists, every task names real cells, every graded cell has a task."""
    name = course.path.name
    for assignment in course.assignments.values():
        folder = course.root / source_directory / assignment.name
        for nb_path in sorted(folder.glob("*.ipynb")):
            if nb_path.stem not in assignment.notebooks:
                raise CourseConfigError(f"{name}: assignments.{assignment.name}.notebooks: expected an entry "
                                        f"for {source_directory}/{assignment.name}/{nb_path.name}")
    for assignment, notebook in course.notebooks():
        nb_key = f"assignments.{assignment.name}.notebooks.{notebook.name}"
        rel = Path(source_directory) / assignment.name / f"{notebook.name}.ipynb"
        nb_path = course.root / rel
        if not nb_path.is_file():
            raise CourseConfigError(f"{name}: {nb_key}: expected the notebook {rel} to exist")
        cells = _graded_cells_of(nb_path, str(rel))
        for task in notebook.tasks.values():
            t_key = f"{nb_key}.tasks.{task.name}"
            for gid in task.tests:
                meta = cells.get(gid)
                if meta is None or not meta.get("grade") or meta.get("solution"):
                    raise CourseConfigError(
                        f"{name}: {t_key}.tests.{gid}: expected an autograded test cell with this grade_id in {rel}")
                # The grade_id is written three times (course.yaml, the cell's metadata, its grade() call):
                # a typo in the call would grade the cell with another cell's check.
                called = GRADE_CALL.findall(meta["source"])
                if called != [gid]:
                    found = ", ".join(f'grade("{c}", ...)' for c in called) or "no grade() call"
                    raise CourseConfigError(f'{name}: {t_key}.tests.{gid}: expected its test cell in {rel} to call '
                                            f'grade("{gid}", ...) once, found {found}')
            if task.tests and task.name not in cells:
                raise CourseConfigError(
                    f"{name}: {t_key}: expected an answer cell with grade_id '{task.name}' in {rel}")
            if task.manual is not None:
                meta = cells.get(task.name)
                if meta is None or not (meta.get("grade") and meta.get("solution")):
                    raise CourseConfigError(
                        f"{name}: {t_key}.manual: expected a manually graded answer cell '{task.name}' in {rel}")
        graded = notebook.graded_cells
        for gid, meta in cells.items():
            if meta.get("grade") and gid not in graded:
                raise CourseConfigError(
                    f"{name}: {nb_key}.tasks: expected a task listing the graded cell '{gid}' of {rel}")


def load_course(path: str | Path = "course.yaml", *, check_notebooks: bool = True,
                source_directory: str = "solutions") -> Course:
    """Load and validate course.yaml; raise CourseConfigError (one line) on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CourseConfigError(f"{path.name}: expected a readable file at {path}, {exc.strerror}") from None
    except UnicodeDecodeError:
        raise CourseConfigError(f"{path.name}: expected UTF-8 text, found bytes that are not") from None
    course = parse_course(text, path, known_checks=is_check, check_params=get_params)
    if check_notebooks:
        check_against_notebooks(course, source_directory)
    return course
