"""Shared set-up for the class-grading tests: a released course, small submissions, and readers that
put a gradebook and an autograded/ folder into comparable plain data."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from grader.course import load_course
from grader.course_assignment import only_assignment
from grader.demo import copy_course
from grader.nbgrader_cli import nbgrader_env, run_nbgrader
from grader.submissions import build_submission, mutant, write_submission

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT = only_assignment(load_course(REPO / "course.yaml", check_notebooks=False))
DUE = "2026-01-01 12:00:00 UTC"
ON_TIME = "2025-12-31 12:00:00 UTC"
LATE = "2026-01-02 12:00:00 UTC"
# Late notebooks score zero, so late handling shows in the scores (nbgrader's default penalty is none).
LATE_POLICY = '\nget_config().LateSubmissionPlugin.penalty_method = "zero"  # noqa: F821\n'


def released_course(dest: Path, cache: Path) -> Path:
    """A copy of the repository's course at `dest`, released by real `nbgrader generate_assignment` (done
    once into `cache`, then copied), with a due date and late notebooks scored zero."""
    if not (cache / "gradebook.db").exists():
        copy_course(REPO, cache)
        with open(cache / "nbgrader_config.py", "a", encoding="utf-8") as f:
            f.write(LATE_POLICY)
        gen = run_nbgrader(cache, "generate_assignment", ASSIGNMENT, "--force")
        assert gen.returncode == 0, gen.log[-2000:]
        with Gradebook(f"sqlite:///{cache / 'gradebook.db'}") as gb:
            gb.update_or_create_assignment(ASSIGNMENT, duedate=DUE)
    shutil.copytree(cache, dest)
    return dest


def submit(root: Path, student: str, notebooks: dict[str, object], timestamp: str | None = ON_TIME) -> None:
    """notebooks: name -> a NotebookNode, or raw bytes for a broken file."""
    folder = write_submission(root, student, ASSIGNMENT, {k: v for k, v in notebooks.items()
                                                          if not isinstance(v, bytes)})
    for name, data in notebooks.items():
        if isinstance(data, bytes):
            (folder / f"{name}.ipynb").write_bytes(data)
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")


def solved(root: Path, notebook: str, *bugs: str):
    return build_submission(root, ASSIGNMENT, notebook, with_mutants=[mutant(b) for b in bugs])


def stubs(root: Path, notebook: str):
    return build_submission(root, ASSIGNMENT, notebook, solved=False)


def gradebook_rows(root: Path) -> dict[str, dict]:
    """student -> everything nbgrader's autograde writes for the student, as plain data."""
    out = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for sub in gb.find_assignment(ASSIGNMENT).submissions:
            out[sub.student.id] = {
                "timestamp": sub.timestamp, "extension": sub.extension,
                "notebooks": {nb.name: {
                    "late_submission_penalty": nb.late_submission_penalty, "flagged": nb.flagged,
                    "grades": {g.name: (g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                               for g in nb.grades},
                    "comments": {c.name: (c.auto_comment, c.manual_comment) for c in nb.comments},
                } for nb in sub.notebooks}}
    return out


def total(rows: dict, student: str, notebook: str) -> float:
    return sum(g[0] or 0.0 for g in rows[student]["notebooks"][notebook]["grades"].values())


# Measured durations a provided cell prints (the gradients notebook times a numerical gradient): they
# differ between any two runs, serial or not, like execution metadata.
DURATION = re.compile(r"\d+(\.\d+)? (s|seconds|ms|microseconds|minutes|hours)\b")


def _strip(nb) -> dict:
    """A notebook without execution metadata (timings, kernel session): what must match."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        cell.pop("execution_count", None)
        merged = []
        for out in cell.get("outputs", []):
            out.pop("execution_count", None)
            if out.get("output_type") == "stream" and not cell.metadata.get("nbgrader", {}).get("grade"):
                out["text"] = DURATION.sub("<duration>", out["text"])
            # How the kernel's output was chunked into stream messages depends on timing, not content.
            if merged and out.get("output_type") == "stream" and merged[-1].get("output_type") == "stream" \
                    and merged[-1].get("name") == out.get("name"):
                merged[-1]["text"] += out["text"]
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged
    return nb


def autograded(root: Path) -> dict[str, object]:
    """relative path under autograded/ -> the notebook without execution metadata, or the file's bytes."""
    base = root / "autograded"
    out = {}
    for path in sorted(base.rglob("*")):
        if path.is_file():
            rel = path.relative_to(base).as_posix()
            out[rel] = _strip(nbformat.read(path, as_version=4)) if path.suffix == ".ipynb" else path.read_bytes()
    return out


def grader_cli(root: Path, *args: str, timeout: float = 900, **popen) -> subprocess.CompletedProcess:
    """The real `grader` command line in the course folder."""
    exe = Path(sys.executable).with_name("grader")
    return subprocess.run([str(exe), *args], cwd=root, env=nbgrader_env(), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout, **popen)

