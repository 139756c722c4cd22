"""The adversarial corpus (tests/adversarial.py) through real `nbgrader autograde`: no cheat earns a
point, no attack on one function costs another function a point, honest work graded before and
after the cheats keeps full marks, and no attack takes nbgrader's own process beyond its time and
memory bounds."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

import nbformat
import pytest

from adversarial import ATTACKS, NOTEBOOK, write_attack
from grader.course import load_course
from grader.demo import copy_course
from grader.nbgrader_cli import run_nbgrader, run_nbgrader_concurrently
from grader.scores import gradebook_scores
from grader.submissions import build_submission, solution_answers, write_submission

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = "lecture3"
SHARDS = max(1, min(2, os.cpu_count() or 1))
# Graded first and last in each shard (nbgrader goes in name order): an attack on the gradebook would
# reach grades already saved, and one on the grading process would reach the students after it.
HONEST = "aaa-honest"
LATE = "zzz-honest"
NOTEBOOKS = sorted({a.notebook for a in ATTACKS})
ANSWER_BUDGET = 15          # seconds of grading per answer in this class (course default: 30; a call: 10)
# nbgrader's own process: its peak memory with honest work is about 300 MB; the goal is that no reply
# adds more than 500 MB to it.
PEAK_MB = 900
TRUSTED_STEP = re.compile(r"Trusted step: graded \d+ test cells of (\S+) outside the kernel in ([\d.]+) s, "
                          r"peak memory of this process (\d+) MB")


def student(attack) -> str:
    return f"attack-{attack.name.replace('_', '-')}"


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    copy_course(REPO, root)
    # The visible tests call the attacked functions in the kernel too: a loop that never returns
    # costs Execute's timeout per cell there, so this class uses a short one.
    course_file = root / "course.yaml"
    text = course_file.read_text().replace("cell_timeout_seconds: 60", "cell_timeout_seconds: 15")
    course_file.write_text(re.sub(r"answer_budget_seconds: \d+", f"answer_budget_seconds: {ANSWER_BUDGET}", text))
    gen = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    assert gen.returncode == 0, gen.log
    shards = [root] + [tmp_path_factory.mktemp(f"shard{i}") for i in range(1, SHARDS)]
    for shard in shards[1:]:
        shutil.copytree(root, shard, dirs_exist_ok=True)
    answers = {nb: solution_answers(root / "solutions" / ASSIGNMENT / f"{nb}.ipynb") for nb in NOTEBOOKS}
    for i, attack in enumerate(ATTACKS):
        release = root / "assignments" / ASSIGNMENT / f"{attack.notebook}.ipynb"
        write_attack(attack, shards[i % SHARDS] / "submitted" / student(attack) / ASSIGNMENT, release,
                     answers[attack.notebook])
    for shard in shards:
        for name in (HONEST, LATE):
            write_submission(shard, name, ASSIGNMENT, {nb: build_submission(root, ASSIGNMENT, nb) for nb in NOTEBOOKS})
    runs = run_nbgrader_concurrently(shards, "autograde", ASSIGNMENT)
    for shard, run in zip(shards, runs):   # kept beside the gradebook, for whoever debugs a failure
        (shard / "autograde.log").write_text(run.log, encoding="utf-8")
    course = load_course(root / "course.yaml")
    scores = {}
    for shard in shards:
        rows = gradebook_scores(course, ASSIGNMENT, f"sqlite:///{shard / 'gradebook.db'}")
        scores[shard] = {r.student: r for r in rows}
    return {"root": root, "shards": shards, "runs": runs, "scores": scores, "course": course}


def cells_of(course, answer: str | None = None, notebook: str = NOTEBOOK) -> dict[str, float]:
    nb = course.assignments[ASSIGNMENT].notebooks[notebook]
    return {gid: cell.points for task, spec in nb.tasks.items() if answer in (None, task)
            for gid, cell in spec.tests.items()}


def scores_of(attacked, name: str) -> dict[str, float]:
    for shard_scores in attacked["scores"].values():
        if name in shard_scores:
            return shard_scores[name].cells
    return {}


@pytest.mark.parametrize("honest", [HONEST, LATE])
def test_honest_work_before_and_after_the_attacks_keeps_full_marks(attacked, honest):
    want = {g: p for nb in NOTEBOOKS for g, p in cells_of(attacked["course"], notebook=nb).items()}
    for shard_scores in attacked["scores"].values():
        got = shard_scores[honest].cells
        assert {g: got.get(g) for g in want} == want


def test_no_score_exceeds_its_cell(attacked):
    for shard in attacked["shards"]:
        with sqlite3.connect(shard / "gradebook.db") as db:
            over = db.execute("SELECT base_cell.name, grade.auto_score, grade_cells.max_score FROM grade "
                              "JOIN grade_cells ON grade.cell_id = grade_cells.id "
                              "JOIN base_cell ON grade.cell_id = base_cell.id "
                              "WHERE grade.auto_score > grade_cells.max_score OR grade.manual_score IS NOT NULL "
                              "OR grade.extra_credit IS NOT NULL").fetchall()
        assert not over, f"{shard.name}: scores above their cells' points: {over[:5]}"


@pytest.mark.parametrize("attack", [a for a in ATTACKS if not a.honest_target and not a.answers],
                         ids=lambda a: a.name)
def test_cheat_on_stubs_earns_nothing(attacked, attack):
    got = scores_of(attacked, student(attack))
    unearned = {g: s for g, s in got.items() if g in cells_of(attacked["course"], notebook=attack.notebook) and s}
    assert not unearned, f"{attack.name} ({attack.description}) earned {unearned}"


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.answers], ids=lambda a: a.name)
def test_cheat_on_several_answers_earns_nothing_on_the_stubs_it_props_up(attacked, attack):
    got = scores_of(attacked, student(attack))
    assert got, f"{attack.name} was not graded"
    for function in attack.unearned:
        cells = cells_of(attacked["course"], function, attack.notebook)
        assert {g: got.get(g) for g in cells} == {g: 0.0 for g in cells}, f"{attack.name} earned points on {function}"


@pytest.mark.parametrize("attack", [a for a in ATTACKS if a.honest_target], ids=lambda a: a.name)
def test_attack_on_one_function_costs_only_that_function(attacked, attack):
    course = attacked["course"]
    got = scores_of(attacked, student(attack))
    own = cells_of(course, attack.honest_target, attack.notebook)
    rest = {g: p for g, p in cells_of(course, notebook=attack.notebook).items() if g not in own}
    if attack.slow:   # correct but slow: what passed before its time ran out, never full marks
        assert sum(got.get(g) or 0.0 for g in own) < sum(own.values()), f"{attack.name} kept every point"
    else:
        assert {g: got.get(g) for g in own} == {g: 0.0 for g in own}, f"{attack.name} earned points on its own cells"
    assert {g: got.get(g) for g in rest} == rest, f"{attack.name} cost points elsewhere"
    shard = next(s for s, sc in attacked["scores"].items() if student(attack) in sc)
    autograded = shard / "autograded" / student(attack) / ASSIGNMENT / f"{attack.notebook}.ipynb"
    for cell in nbformat.read(autograded, as_version=4).cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in own:
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            if not attack.slow or got.get(cell.metadata.nbgrader.grade_id) != own[cell.metadata.nbgrader.grade_id]:
                assert attack.feedback in text, f"{cell.metadata.nbgrader.grade_id}: {text[:400]}"


def test_feedback_shows_outcomes_but_not_hidden_tests(attacked):
    root = attacked["root"]
    feedback = run_nbgrader(root, "generate_feedback", ASSIGNMENT, "--student", HONEST)
    assert feedback.returncode == 0, feedback.error_lines()
    html = (root / "feedback" / HONEST / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    assert "svm_loss_naive-gradient: 3 / 3 points" in html
    assert "grade(" not in html and "from grader" not in html and "BEGIN HIDDEN TESTS" not in html


def test_no_attack_takes_nbgraders_process_beyond_its_time_and_memory(attacked):
    """Each notebook's trusted step stays within the answer budget (plus the honest rest), and nbgrader's
    own process within PEAK_MB, whatever a worker sends back."""
    steps = [(nb, float(seconds), int(mb))
             for run in attacked["runs"] for nb, seconds, mb in TRUSTED_STEP.findall(run.log)]
    assert len(steps) >= len(ATTACKS), f"only {len(steps)} trusted steps logged"
    slowest = max(seconds for _, seconds, _ in steps)
    assert slowest <= ANSWER_BUDGET + 20, f"a trusted step took {slowest:.1f} s"
    peak = max(mb for _, _, mb in steps)
    assert peak <= PEAK_MB, f"nbgrader's process reached {peak} MB"
