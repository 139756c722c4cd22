"""End to end through real nbgrader: `grader ci`, the instructors' guard, graded once for the module.

The fixture runs the real command line, `grader ci --keep <folder> --json <file>`, as `.ci/run`
and a course's own CI run it: the batch it grades (solution, stubs, an unreadable submission, every
corpus entry, three copies of two submissions) is the one these tests inspect, so the corpus is graded
once, and the command's own exit code, printed guards and argument handling are under test too. The
tests read its JSON result and the course copies it kept (nbgrader's gradebooks and autograded
notebooks), and recompute what they assert from the raw per-cell scores rather than from its verdicts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from grader.course import load_course
from grader.nbgrader_cli import run_nbgrader
from grader.release_check import release_leaks, stale_release
from grader.scores import gradebook_scores
from grader.submissions import SOLUTION_MARKERS, do_nothing, mutants, variants

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "lecture3"
MUTANTS = mutants()
VARIANTS = variants()
DO_NOTHING = do_nothing()
# At least two shards even on one core, so the determinism test always compares copies graded by
# different nbgrader processes; at most four, as more copies of the course cost more than they save.
JOBS = max(2, min(4, os.cpu_count() or 1))
SOLUTION = "0_solution"  # the first of the solution's three copies (grader.corpus_run.REPEAT_PREFIXES)
GUARDS = ["release in sync", "release leak-free", "solution full marks", "stubs score zero",
          "do-nothing submission scores zero", "mutants killed", "isolation", "do-nothing answers earn nothing",
          "variants keep every point", "determinism", "every submission graded"]


def autograded_cells(course, notebook: str | None = None) -> dict[str, float]:
    """grade_id -> points of every autograded cell (of one notebook, or of the whole assignment)."""
    return {gid: cell.points for name, nb in course.assignments[ASSIGNMENT].notebooks.items()
            if notebook in (None, name) for task in nb.tasks.values() for gid, cell in task.tests.items()}


@dataclass
class CiRun:
    proc: subprocess.CompletedProcess
    result: dict        # the --json file
    course: object
    kept: Path          # shard0, shard1, ...: each a graded copy of the course with its own gradebook

    def cells(self, student: str) -> dict[str, float]:
        return self.result["students"][student]["cells"]

    def shard(self, student: str) -> Path:
        return self.kept / f"shard{self.result['students'][student]['shard']}"

    def autograded(self, student: str) -> Path:
        return self.shard(student) / "autograded" / student / ASSIGNMENT


def grader_command() -> list[str]:
    exe = Path(sys.executable).with_name("grader")  # the installed console script, as CI calls it
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "grader.cli"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ci")
    report = tmp / "ci.json"
    proc = subprocess.run([*grader_command(), "--course", str(REPO / "course.yaml"), "ci", "--jobs", str(JOBS),
                           "--keep", str(tmp / "course"), "--json", str(report)],
                          cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    # A failing guard still writes the report; no report means the command itself broke.
    assert report.is_file(), f"grader ci wrote no report (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return CiRun(proc, json.loads(report.read_text()), load_course(REPO / "course.yaml"), tmp / "course")


def test_grader_ci_passes_every_guard(graded):
    printed = graded.proc.stdout
    assert [g["name"] for g in graded.result["guards"]] == GUARDS
    for guard in graded.result["guards"]:
        assert f"PASS {guard['name']}: " in printed, printed
    assert graded.proc.returncode == 0, printed + graded.proc.stderr
    assert graded.result["exit_code"] == 0 and graded.proc.stderr == ""


def test_release_is_what_nbgrader_generates(graded):
    # shard0 is where `grader ci` ran `nbgrader generate_assignment --force` on a copy of the course
    generated = graded.kept / "shard0" / "assignments"
    assert sorted(generated.rglob("*.ipynb")), "nbgrader generated no release"
    assert stale_release(generated, REPO / "assignments", ASSIGNMENT) == []
    assert graded.result["stale_release"] == []


def test_release_holds_no_solution_or_hidden_test(graded):
    assert release_leaks(REPO, ASSIGNMENT) == []


def test_solution_gets_every_autograded_point(graded):
    cells = autograded_cells(graded.course)
    for copy in ("0_solution", "m_solution", "zz_solution"):
        got = graded.cells(copy)
        assert {g: got.get(g) for g in cells} == cells, copy


def test_untouched_stubs_get_zero(graded):
    cells = autograded_cells(graded.course)
    got = graded.cells("stubs")
    assert {g: got.get(g) for g in cells} == {g: 0.0 for g in cells}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_bug_loses_points_on_its_function_only(graded, mutant):
    cells = autograded_cells(graded.course, mutant.notebook)
    got = graded.cells(mutant.name)
    own = {g for g in cells if g.startswith(f"{mutant.function}-")}
    assert own, f"{mutant.function} has no test cells"
    lost_own = {g: (got.get(g), cells[g]) for g in own if got.get(g) != cells[g]}
    lost_other = {g: (got.get(g), cells[g]) for g in cells.keys() - own if got.get(g) != cells[g]}
    assert lost_own, f"{mutant.name} ({mutant.description}) keeps every point of {mutant.function}"
    assert not lost_other, f"{mutant.name} loses points outside {mutant.function}: {lost_other}"


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_correct_variant_keeps_every_point(graded, variant):
    """Variants share submissions variants_<k> (one per function, the solution elsewhere), all of whose
    cells must keep every point."""
    student = next(e["student"] for e in graded.result["entries"] if e["name"] == variant.name)
    assert student.startswith("variants_")
    cells = autograded_cells(graded.course, variant.notebook)
    got = graded.cells(student)
    assert {g: got.get(g) for g in cells} == cells, f"{variant.name} ({variant.description}) lost points"


def test_do_nothing_answers_score_zero_on_every_cell(graded):
    """Each do_nothing_<k> holds the stubs with the k-th do-nothing answer of every function, so all
    of its cells must be 0; do_nothing_0 holds every notebook."""
    groups = sorted(s for s in graded.result["students"] if s.startswith("do_nothing_"))
    entries = [e for e in graded.result["entries"] if e["kind"] == "do_nothing"]
    assert groups and len(entries) == len(DO_NOTHING)
    earning = {f"{g}: {gid}": v for g in groups for gid, v in (graded.cells(g) or {"(not graded)": 1}).items() if v}
    assert not earning, f"do-nothing answers earned points: {earning}"
    assert set(autograded_cells(graded.course)) <= set(graded.cells("do_nothing_0"))   # and the hand-graded ones


def test_unreadable_notebooks_cost_only_their_cells_and_are_marked_invalid(graded):
    from grader import grading_status

    assert graded.result["failed_students"] == []
    # Graded as notebooks without answers: a submission in the gradebook, and not a point.
    assert graded.cells("broken_json") is not None and not any(graded.cells("broken_json").values())
    graded_students = {s for s, row in graded.result["students"].items() if row["cells"]}
    assert {SOLUTION, "stubs", *(m.name for m in MUTANTS), "variants_0", "do_nothing_0"} <= graded_students
    shard = graded.shard("broken_json")
    rows = [r for r in grading_status.read(f"sqlite:///{shard / 'gradebook.db'}", "lecture3")
            if r.student == "broken_json" and r.notebook]
    assert {r.notebook for r in rows} == set(graded.course.assignments["lecture3"].notebooks)
    assert all(r.status == "invalid" and r.cause.startswith("not a readable notebook") for r in rows)
    assert "graded as a notebook without answers" in (shard / "autograde.log").read_text()


def test_repeated_submissions_get_identical_scores_in_any_order_and_shard(graded):
    repeats = {r["name"]: r["copies"] for r in graded.result["repeats"]}
    assert set(repeats) == {"solution", "mixed"}
    for name, copies in repeats.items():
        rows = [graded.result["students"][c] for c in copies]
        assert len(rows) == 3 and all(row["cells"] for row in rows), name
        assert rows[0]["cells"] == rows[1]["cells"] == rows[2]["cells"], f"{name}: scores differ between copies"
        assert len({row["shard"] for row in rows}) >= 2, f"{name}: every copy was graded by one nbgrader process"
        places = sorted(("first" if row["position"] == 1 else "last" if row["position"] == row["of"] else "middle")
                        for row in rows)
        assert places == ["first", "last", "middle"], f"{name}: {[(r['position'], r['of']) for r in rows]}"
    # the mixed submission is not trivially deterministic: it fails Hypothesis properties, whose
    # shrunk counterexamples must come out the same every time
    mixed = graded.cells(repeats["mixed"][0])
    assert sum(mixed.values()) < sum(autograded_cells(graded.course).values())


def test_repeated_mutants_fail_properties_with_a_shrunk_example_in_every_notebook(graded):
    copy = next(r["copies"][0] for r in graded.result["repeats"] if r["name"] == "mixed")
    for nb in graded.course.assignments[ASSIGNMENT].notebooks:
        cells = nbformat.read(graded.autograded(copy) / f"{nb}.ipynb", as_version=4).cells
        text = "".join(o.get("text", "") for c in cells if c.cell_type == "code" for o in c.outputs)
        assert "smallest failing example:" in text, f"{copy}/{nb}: no failing property was shrunk"


def test_test_cells_write_nothing_to_stderr(graded):
    for student in graded.result["students"]:
        for path in graded.autograded(student).glob("*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
                    streams = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
                    assert not streams, f"{student}: {cell.metadata.nbgrader.grade_id} wrote to stderr: {streams}"


def test_feedback_names_the_likely_cause(graded):
    m = next(m for m in MUTANTS if m.name == "svm_vectorized_reg_gradient_missing")
    autograded = graded.autograded(m.name) / "losses.ipynb"
    cell = next(c for c in nbformat.read(autograded, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "svm_loss_vectorized-gradient")
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert "FAIL" in text and "expected:" in text and "got:" in text
    assert "likely cause: the regularization gradient is missing: add 2 * reg * W" in text


def test_regrading_gives_identical_scores(graded):
    for student in (SOLUTION, MUTANTS[0].name):
        root = graded.shard(student)
        run = run_nbgrader(root, "autograde", ASSIGNMENT, "--force", "--student", student)
        assert run.returncode == 0, run.error_lines()
        rows = gradebook_scores(graded.course, ASSIGNMENT, f"sqlite:///{root / 'gradebook.db'}")
        scores = {r.student: r for r in rows}
        assert scores[student].cells == graded.cells(student)


def test_solution_markers_are_stripped_in_submissions(graded):
    sub = graded.shard(SOLUTION) / "submitted" / SOLUTION / ASSIGNMENT / "losses.ipynb"
    assert not SOLUTION_MARKERS.search(sub.read_text())


def test_feedback_and_export_work_with_plain_nbgrader(graded):
    root = graded.shard(SOLUTION)
    feedback = run_nbgrader(root, "generate_feedback", ASSIGNMENT, "--student", SOLUTION)
    assert feedback.returncode == 0, feedback.error_lines()
    html = (root / "feedback" / SOLUTION / ASSIGNMENT / "losses.html").read_text()
    assert "svm_loss_naive-gradient: 3 / 3 points" in html
    export = run_nbgrader(root, "export")
    assert export.returncode == 0, export.error_lines()
    rows = (root / "grades.csv").read_text().splitlines()
    solution_row = next(r for r in rows if f",{SOLUTION}," in r)
    autograded = sum(autograded_cells(graded.course).values())
    assert f",{autograded:.1f}," in solution_row  # every autograded point; manual points await a grader
