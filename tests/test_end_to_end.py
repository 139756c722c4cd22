"""End to end through real nbgrader, in a temporary copy of the course.

One autograde run grades the whole class below; the tests then read nbgrader's own gradebook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from grader.course import load_course
from grader.demo import copy_course
from grader.nbgrader_cli import run_nbgrader, run_nbgrader_concurrently
from grader.scores import gradebook_scores
from grader.submissions import SOLUTION_MARKERS, build_submission, mutants, variants, write_submission

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "lecture3"
MUTANTS = mutants()
SHARDS = max(1, min(4, os.cpu_count() or 1))
VARIANTS = variants()


def autograded_cells(course, notebook: str | None = None) -> dict[str, float]:
    """grade_id -> points of every autograded cell (of one notebook, or of the whole assignment)."""
    return {gid: cell.points for name, nb in course.assignments[ASSIGNMENT].notebooks.items()
            if notebook in (None, name) for task in nb.tasks.values() for gid, cell in task.tests.items()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The course, released by `nbgrader generate_assignment`, with a class autograded once."""
    root = tmp_path_factory.mktemp("course")
    copy_course(REPO, root)
    gen = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    assert gen.returncode == 0, gen.log
    course = load_course(root / "course.yaml")
    notebooks = list(course.assignments[ASSIGNMENT].notebooks)

    # The class is graded in SHARDS copies of the course at once, each with its own gradebook; the
    # first copy (`root`) holds the solution, the stubs and the broken submission.
    shards = [root] + [tmp_path_factory.mktemp(f"shard{i}") for i in range(1, SHARDS)]
    for shard in shards[1:]:
        shutil.copytree(root, shard, dirs_exist_ok=True)

    def submit(shard, student, only=None, **kwargs):
        subs = {nb: build_submission(root, ASSIGNMENT, nb, **kwargs) for nb in notebooks if only in (None, nb)}
        write_submission(shard, student, ASSIGNMENT, subs)

    submit(root, "solution")
    submit(root, "stubs", solved=False)
    # Notebooks run in separate kernels, so a corpus entry is submitted with its own notebook only
    # (nbgrader scores a missing notebook zero without running it).
    for i, entry in enumerate(MUTANTS + VARIANTS):
        submit(shards[i % SHARDS], entry.name, only=entry.notebook, with_mutants=[entry])
    broken = root / "submitted" / "broken_json" / ASSIGNMENT
    broken.mkdir(parents=True)
    for nb in notebooks:
        (broken / f"{nb}.ipynb").write_text('{"cells": [ {"cell_type": ', encoding="utf-8")
    runs = run_nbgrader_concurrently(shards, "autograde", ASSIGNMENT)
    scores = {}
    for shard in shards:
        scores.update({r.student: r for r in gradebook_scores(course, ASSIGNMENT, f"sqlite:///{shard / 'gradebook.db'}")})
        if shard != root:
            shutil.copytree(shard / "autograded", root / "autograded", dirs_exist_ok=True)
    return {"root": root, "course": course, "run": runs[0], "runs": runs, "scores": scores}


def test_release_is_what_nbgrader_generates(graded):
    generated = sorted((graded["root"] / "assignments").rglob("*.ipynb"))
    committed = sorted((REPO / "assignments").rglob("*.ipynb"))
    assert [p.relative_to(graded["root"]) for p in generated] == [p.relative_to(REPO) for p in committed]
    for gen, com in zip(generated, committed):
        assert json.loads(gen.read_text()) == json.loads(com.read_text()), (
            f"{com.relative_to(REPO)} is stale: run `nbgrader generate_assignment {ASSIGNMENT} --force`")


def test_release_holds_no_solution_or_hidden_test(graded):
    for solution_path in sorted((REPO / "solutions" / ASSIGNMENT).glob("*.ipynb")):
        release = (REPO / "assignments" / ASSIGNMENT / solution_path.name).read_text()
        assert not re.search(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS|MARK SCHEME", release)
        assert "from grader" not in release and "grade(" not in release
        released_sources = "\n".join(c.source for c in nbformat.reads(release, as_version=4).cells)
        solution_cells = [c.source for c in nbformat.read(solution_path, as_version=4).cells]
        hidden = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END (SOLUTION|HIDDEN TESTS)", flags=re.S)
        # Text the instructor shows on purpose (e.g. the regularization convention in markdown) is not a leak.
        public = "\n".join(hidden.sub("", src) for src in solution_cells)
        for src in solution_cells:
            for _, block, _ in hidden.findall(src):
                lines = [ln.strip() for ln in block.splitlines() if len(ln.strip()) > 25]
                leaked = [ln for ln in lines if ln in released_sources and ln not in public]
                assert not leaked, f"solution lines of {solution_path.name} leak into the release: {leaked[:3]}"


def test_solution_gets_every_autograded_point(graded):
    cells = autograded_cells(graded["course"])
    got = graded["scores"]["solution"].cells
    assert {g: got.get(g) for g in cells} == cells


def test_untouched_stubs_get_zero(graded):
    cells = autograded_cells(graded["course"])
    got = graded["scores"]["stubs"].cells
    assert {g: got.get(g) for g in cells} == {g: 0.0 for g in cells}


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_bug_loses_points_on_its_function_only(graded, mutant):
    cells = autograded_cells(graded["course"], mutant.notebook)
    got = graded["scores"][mutant.name].cells
    own = {g for g in cells if g.startswith(f"{mutant.function}-")}
    assert own, f"{mutant.function} has no test cells"
    lost_own = {g: (got.get(g), cells[g]) for g in own if got.get(g) != cells[g]}
    lost_other = {g: (got.get(g), cells[g]) for g in cells.keys() - own if got.get(g) != cells[g]}
    assert lost_own, f"{mutant.name} ({mutant.description}) keeps every point of {mutant.function}"
    assert not lost_other, f"{mutant.name} loses points outside {mutant.function}: {lost_other}"


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.name for v in VARIANTS])
def test_correct_variant_keeps_every_point(graded, variant):
    cells = autograded_cells(graded["course"], variant.notebook)
    got = graded["scores"][variant.name].cells
    assert {g: got.get(g) for g in cells} == cells, f"{variant.name} ({variant.description}) lost points"


def test_broken_notebook_is_reported_and_the_rest_graded(graded):
    assert graded["run"].failed_students() == {"broken_json"}
    assert not any(run.failed_students() for run in graded["runs"][1:])
    assert "broken_json" not in graded["scores"] or not graded["scores"]["broken_json"].cells
    assert {"solution", "stubs", *(m.name for m in MUTANTS)} <= graded["scores"].keys()


def test_test_cells_write_nothing_to_stderr(graded):
    for student in ("solution", "stubs", *(m.name for m in MUTANTS + VARIANTS)):
        for path in (graded["root"] / "autograded" / student / ASSIGNMENT).glob("*.ipynb"):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.metadata.get("nbgrader", {}).get("grade") and cell.cell_type == "code":
                    streams = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stderr"]
                    assert not streams, f"{student}: {cell.metadata.nbgrader.grade_id} wrote to stderr: {streams}"


def test_feedback_names_the_likely_cause(graded):
    m = next(m for m in MUTANTS if m.name == "svm_vectorized_reg_gradient_missing")
    autograded = graded["root"] / "autograded" / m.name / ASSIGNMENT / "losses.ipynb"
    cell = next(c for c in nbformat.read(autograded, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == "svm_loss_vectorized-gradient")
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert "FAIL" in text and "expected:" in text and "got:" in text
    assert "likely cause: the regularization gradient is missing: add 2 * reg * W" in text


def test_regrading_gives_identical_scores(graded):
    root, course = graded["root"], graded["course"]
    again = ["solution", MUTANTS[0].name]
    for student in again:
        run = run_nbgrader(root, "autograde", ASSIGNMENT, "--force", "--student", student)
        assert run.returncode == 0, run.error_lines()
    scores = {r.student: r for r in gradebook_scores(course, ASSIGNMENT, f"sqlite:///{root / 'gradebook.db'}")}
    for student in again:
        assert scores[student].cells == graded["scores"][student].cells


def test_solution_markers_are_stripped_in_submissions(graded):
    sub = graded["root"] / "submitted" / "solution" / ASSIGNMENT / "losses.ipynb"
    assert not SOLUTION_MARKERS.search(sub.read_text())


def test_feedback_and_export_work_with_plain_nbgrader(graded):
    root = graded["root"]
    feedback = run_nbgrader(root, "generate_feedback", ASSIGNMENT, "--student", "solution")
    assert feedback.returncode == 0, feedback.error_lines()
    html = (root / "feedback" / "solution" / ASSIGNMENT / "losses.html").read_text()
    assert "svm_loss_naive-gradient: 3 / 3 points" in html
    export = run_nbgrader(root, "export")
    assert export.returncode == 0, export.error_lines()
    rows = (root / "grades.csv").read_text().splitlines()
    solution_row = next(r for r in rows if ",solution," in r)
    autograded = sum(autograded_cells(graded["course"]).values())
    assert f",{autograded:.1f}," in solution_row  # every autograded point; manual points await a grader
