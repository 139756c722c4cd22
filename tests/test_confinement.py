"""The contained kernel through real `nbgrader autograde`: a submission's kernel reads nothing of the
course, reaches no network, disturbs no process, outlives nothing, stays within its limits, and a
submission that holds links is refused; honest students graded before and after keep every point.

Confidential strings are planted where a kernel must not reach: a hidden test of the solutions (so
also the gradebook), course.yaml, the instructor's home and a peer's submission. None may appear in
any attacker's autograded notebook or feedback page.
"""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import threading
from pathlib import Path

import nbformat
import pytest

from confinement_attacks import ATTACKS_BY_NAME, LINKS, write_link_submission
from grader import grading_status
from grader.course import load_course
from grader.demo import copy_course
from grader.nbgrader_cli import run_nbgrader
from grader.scores import gradebook_scores
from grader.submissions import build_submission, write_submission

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT, NOTEBOOK = "lecture3", "regularization"
HIDDEN_CANARY = "CANARY-HIDDEN-TEST-41c7"
COURSE_CANARY = "CANARY-COURSE-YAML-9d02"
HOME_CANARY = "CANARY-INSTRUCTOR-HOME-77ab"
PEER, PEER_CANARY = "peer-5b9d", "CANARY-PEER-WORK-e310"
HONEST_FIRST, HONEST_LAST = "aaa-honest", "zzz-honest"
SURVIVOR_MARKER = "301.25"          # `sleep 301.25`: what a grandchild that outlived its kernel would run
MEMORY_MB, PROCESSES = 1024, 64     # this class's kernel limits: small, so the bombs are safe for the machine


def attacker(name: str) -> str:
    return f"att-{name}"


def linker(name: str) -> str:
    return f"lnk-{name}"


class LoopbackServer:
    """A TCP server on the host's 127.0.0.1 that records every connection."""

    def __init__(self):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                conn, addr = self.sock.accept()
            except OSError:
                return
            self.connections.append(addr)
            conn.close()

    def close(self):
        self.sock.close()


def _plant_canaries(root: Path, home: Path) -> None:
    course_file = root / "course.yaml"
    text = course_file.read_text()
    text = re.sub(r"kernel_memory_mb: \d+", f"kernel_memory_mb: {MEMORY_MB}", text)
    text = re.sub(r"kernel_processes: \d+", f"kernel_processes: {PROCESSES}", text)
    assert f"kernel_memory_mb: {MEMORY_MB}" in text and f"kernel_processes: {PROCESSES}" in text
    text = text.replace("cell_timeout_seconds: 60", "cell_timeout_seconds: 30")
    course_file.write_text(f"# {COURSE_CANARY}\n" + text)
    solution = root / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
    nb = nbformat.read(solution, as_version=4)
    hidden = next(c for c in nb.cells if "### BEGIN HIDDEN TESTS" in c.source)
    hidden.source = hidden.source.replace("### BEGIN HIDDEN TESTS", f"### BEGIN HIDDEN TESTS\n# {HIDDEN_CANARY}", 1)
    nbformat.write(nb, solution)
    home.mkdir()
    (home / "canary.txt").write_text(HOME_CANARY)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("confinement")
    root, home = base / "course", base / "secret-home"
    copy_course(REPO, root)
    _plant_canaries(root, home)
    gen = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    assert gen.returncode == 0, gen.log
    honest = build_submission(root, ASSIGNMENT, NOTEBOOK)
    server = LoopbackServer()
    for name in (HONEST_FIRST, HONEST_LAST):
        write_submission(root, name, ASSIGNMENT, {NOTEBOOK: honest})
    peer = nbformat.from_dict(json.loads(json.dumps(honest)))
    peer.cells.insert(0, nbformat.v4.new_markdown_cell(PEER_CANARY))
    peer_folder = write_submission(root, PEER, ASSIGNMENT, {NOTEBOOK: peer})
    for name, code in ATTACKS_BY_NAME.items():
        nb = nbformat.from_dict(json.loads(json.dumps(honest)))
        code = code.replace("{port}", str(server.port)).replace("{marker}", SURVIVOR_MARKER)
        nb.cells.insert(0, nbformat.v4.new_code_cell(code))
        write_submission(root, attacker(name), ASSIGNMENT, {NOTEBOOK: nb})
    # generate_assignment made the gradebook: the links below have something to point at.
    for link in LINKS:
        write_link_submission(link, root / "submitted" / linker(link.name) / ASSIGNMENT, root,
                              peer_folder / f"{NOTEBOOK}.ipynb", nbformat.writes(honest))
    saved_home = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        run = run_nbgrader(root, "autograde", ASSIGNMENT)
        feedback = run_nbgrader(root, "generate_feedback", ASSIGNMENT)
    finally:
        os.environ["HOME"] = saved_home or ""
        server.close()
    (base / "autograde.log").write_text(run.log, encoding="utf-8")
    course = load_course(root / "course.yaml")
    rows = {r.student: r for r in gradebook_scores(course, ASSIGNMENT, f"sqlite:///{root / 'gradebook.db'}")}
    return {"root": root, "run": run, "feedback": feedback, "scores": rows, "course": course, "server": server}


def full_marks(course) -> dict[str, float]:
    nb = course.assignments[ASSIGNMENT].notebooks[NOTEBOOK]
    return {gid: cell.points for spec in nb.tasks.values() for gid, cell in spec.tests.items()}


def outputs_text(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return "\n".join(json.dumps(o) for c in nb.cells for o in c.get("outputs", []))


def test_the_kernel_was_contained(graded):
    assert graded["run"].returncode == 0, graded["run"].log[-3000:]
    assert "NOT contained" not in graded["run"].log


@pytest.mark.parametrize("student", [HONEST_FIRST, PEER, *map(attacker, ATTACKS_BY_NAME), HONEST_LAST])
def test_every_honest_solution_keeps_full_marks_before_and_after_the_attacks(graded, student):
    want = full_marks(graded["course"])
    got = graded["scores"][student].cells
    assert {g: got.get(g) for g in want} == want, f"{student} lost points"


@pytest.mark.parametrize("name", list(ATTACKS_BY_NAME))
def test_an_attack_finds_nothing_confidential(graded, name):
    root = graded["root"]
    autograded = root / "autograded" / attacker(name) / ASSIGNMENT
    html = (root / "feedback" / attacker(name) / ASSIGNMENT / f"{NOTEBOOK}.html").read_text()
    printed = outputs_text(autograded / f"{NOTEBOOK}.ipynb")
    others = [PEER, HONEST_FIRST, HONEST_LAST, *(attacker(n) for n in ATTACKS_BY_NAME if n != name)]
    for secret in [HIDDEN_CANARY, COURSE_CANARY, HOME_CANARY, PEER_CANARY, str(root), *others]:
        assert secret not in printed, f"{name}: its kernel printed {secret!r}"
        assert secret not in html, f"{name}: its feedback shows {secret!r}"
    # What the kernel wrote in its folder stayed in its container.
    assert not (autograded / "loot.txt").exists()


def test_the_attacks_did_run_and_were_refused(graded):
    root = graded["root"]
    printed = {n: outputs_text(root / "autograded" / attacker(n) / ASSIGNMENT / f"{NOTEBOOK}.ipynb")
               for n in ATTACKS_BY_NAME}
    assert "refused read ../../../gradebook.db" in printed["relative-paths"]
    assert "refused connect 127.0.0.1" in printed["network"]
    assert "refused gradebook" in printed["gradebook-sqlite"]
    assert re.search(r"FOUND cwd '/home/student/lecture3'", printed["absolute-paths"])
    # Its parent is "0" (its PID namespace's first process has none) and no nbgrader process is in sight.
    assert "FOUND targets [0]" in printed["signal-and-ptrace"]
    assert "memory limit reached after" in printed["memory-limit"]
    reached = re.search(r"process limit reached after (\d+) children", printed["process-limit"])
    assert reached and int(reached.group(1)) < PROCESSES, printed["process-limit"][:500]


def test_no_connection_reached_the_hosts_loopback(graded):
    assert graded["server"].connections == []


def test_no_process_outlives_its_kernel(graded):
    survivors = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if SURVIVOR_MARKER.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                survivors.append(pid)
        except OSError:
            continue
    assert not survivors


@pytest.mark.parametrize("link", LINKS, ids=lambda link: link.name)
def test_a_submission_with_links_is_refused_with_one_line_and_nothing_copied(graded, link):
    root, student = graded["root"], linker(link.name)
    lines = [line for line in graded["run"].log.splitlines() if f"student {student} is not graded" in line]
    assert len(lines) == 1, graded["run"].log[-2000:]
    assert "submitted/" in lines[0] and ("link" in lines[0] or "FIFO" in lines[0])
    assert not (root / "autograded" / student).exists()
    assert not (root / "feedback" / student).exists()
    status = {s.student: s for s in grading_status.read(f"sqlite:///{root / 'gradebook.db'}", ASSIGNMENT)}
    assert status[student].status == "invalid" and status[student].cause in lines[0]


def test_nothing_linked_was_copied_anywhere(graded):
    root = graded["root"]
    for folder in ("autograded", "feedback"):
        for path in (root / folder).rglob("*"):
            assert path.suffix not in (".db",), f"{path} was copied"
            assert not path.is_symlink(), f"{path} is a link"
    with sqlite3.connect(root / "gradebook.db") as db:
        graded_students = {s for (s,) in db.execute(
            "SELECT student.id FROM submitted_assignment JOIN student ON student.id = submitted_assignment.student_id")}
    assert not {linker(link.name) for link in LINKS} & graded_students
