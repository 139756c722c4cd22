"""`grader autograde --scheduler`: a real `dask scheduler` and `dask worker` processes on 127.0.0.1.

- grading through an existing cluster, while one worker is killed mid-task: every student is graded
  exactly once, with the scores serial grading gives;
- a worker whose grader differs from the coordinator's refuses the task with a one-line reason, and the
  student is left untouched and reported "not graded".
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest
from class_grading_support import ASSIGNMENT, grader_cli, gradebook_rows, released_course, solved, stubs, submit

from grader import grading_status
from grader.nbgrader_cli import nbgrader_env

pytestmark = pytest.mark.e2e

REG = "regularization"
DASK = str(Path(sys.executable).with_name("dask"))


class Cluster:
    """A scheduler on a free 127.0.0.1 port and named workers, each a process of its own."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.file = folder / "scheduler.json"
        self.procs: dict[str, subprocess.Popen] = {}
        self._start("scheduler", [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                  "--scheduler-file", str(self.file)])
        deadline = time.monotonic() + 60
        while not self.file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert self.file.exists(), (folder / "scheduler.log").read_text()
        self.address = json.loads(self.file.read_text())["address"]

    def _start(self, name: str, cmd: list[str], env: dict | None = None) -> None:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        self.procs[name] = subprocess.Popen(cmd, cwd=self.folder, env=env or nbgrader_env(), stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def worker(self, name: str, env: dict | None = None) -> None:
        # No nanny: a killed worker stays dead, so its task must move to another worker.
        self._start(name, [DASK, "worker", "--scheduler-file", str(self.file), "--name", name, "--nthreads", "1",
                           "--no-nanny", "--no-dashboard", "--host", "127.0.0.1"], env)

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=60)

    def close(self) -> None:
        for proc in reversed(self.procs.values()):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path)
    yield c
    c.close()


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    return tmp_path_factory.mktemp("released") / "course"


def test_cluster_grades_every_student_once_when_a_worker_dies(cluster, released, tmp_path):
    root = released_course(tmp_path / "course", released)
    submit(root, "s1_solution", {REG: solved(root, REG)})
    submit(root, "s2_stubs", {REG: stubs(root, REG)})
    submit(root, "s3_bug", {REG: solved(root, REG, "l1_gradient_ones")})
    cluster.worker("w1")
    cluster.worker("w2")
    cluster.wait_for_workers(2)
    exe = Path(sys.executable).with_name("grader")
    run = subprocess.Popen([str(exe), "autograde", ASSIGNMENT, "--scheduler", cluster.address], cwd=root,
                           env=nbgrader_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    # Kill w2 while it is grading: once the kernel of its nbgrader run has started.
    w2 = psutil.Process(cluster.procs["w2"].pid)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not any("ipykernel" in " ".join(_cmdline(p)) for p in _children(w2)):
        time.sleep(0.2)
    assert time.monotonic() < deadline, "w2 never started grading"
    assert run.poll() is None, run.stdout.read()
    w2.send_signal(signal.SIGKILL)
    out, _ = run.communicate(timeout=600)
    assert run.returncode == 0, out
    assert "3 graded, 0 not graded, 0 skipped as unchanged" in out, out
    for student in ("s1_solution", "s2_stubs", "s3_bug"):
        assert sum(line.split("] ", 1)[-1].startswith(f"{student}: ") for line in out.splitlines()) == 1, out
    log = (root / "autograde.log").read_text(encoding="utf-8")
    assert sorted(line.split(":")[0] for line in log.splitlines() if line.startswith("--- ")) == [
        "--- s1_solution", "--- s2_stubs", "--- s3_bug"]
    rows = gradebook_rows(root)
    totals = {s: sum(g[0] or 0 for g in rows[s]["notebooks"][REG]["grades"].values()) for s in rows}
    full = sum(c.max_score for c in _grade_cells(root) if c.cell_type == "code")
    assert totals["s1_solution"] == full > totals["s3_bug"] > totals["s2_stubs"] == 0
    assert not list((root / "autograded").rglob(f".{ASSIGNMENT}.*")), "no half-written folders"


def _grade_cells(root: Path):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return [SimpleNamespace(cell_type=c.cell_type, max_score=c.max_score)
                for c in gb.find_notebook(REG, ASSIGNMENT).grade_cells]


def _cmdline(proc: psutil.Process) -> list[str]:
    try:
        return proc.cmdline()
    except psutil.Error:
        return []


def _children(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return proc.children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_worker_with_another_grader_refuses_and_the_student_is_untouched(cluster, released, tmp_path):
    root = released_course(tmp_path / "course", released)
    submit(root, "s1_solution", {REG: solved(root, REG)})
    # A worker that imports a grader package differing in one comment.
    import grader

    alt = tmp_path / "alt"
    shutil.copytree(Path(grader.__file__).parent, alt / "grader", ignore=shutil.ignore_patterns("__pycache__"))
    with open(alt / "grader" / "course.py", "a", encoding="utf-8") as f:
        f.write("# another version of the grader\n")
    cluster.worker("old", env=dict(nbgrader_env(), PYTHONPATH=str(alt)))
    cluster.wait_for_workers(1)
    run = grader_cli(root, "autograde", ASSIGNMENT, "--scheduler", cluster.address, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr
    line = next(x for x in run.stdout.splitlines() if x.startswith("  not graded: s1_solution: "))
    assert "refused: its course/grader course:" in line and "differs from the coordinator's course:" in line
    assert gradebook_rows(root) == {}
    assert not (root / "autograded" / "s1_solution").exists()
    status = grading_status.read(f"sqlite:///{root / 'gradebook.db'}", ASSIGNMENT)
    assert [(r.notebook, r.status) for r in status if r.notebook is None] == [(None, "not graded")]
