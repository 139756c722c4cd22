"""Running the real `nbgrader` command line in a course directory."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

FAILED_STUDENT = re.compile(r"There was an error processing assignment '([^']+)' for student '([^']+)'")


@dataclass
class NbgraderRun:
    args: list[str]
    returncode: int
    log: str

    def failed_students(self) -> set[str]:
        return {m.group(2) for m in FAILED_STUDENT.finditer(self.log)}

    def error_lines(self) -> list[str]:
        return [line for line in self.log.splitlines() if "| ERROR]" in line]


def nbgrader_env() -> dict[str, str]:
    """nbgrader runs helpers (alembic) by name: put this interpreter's scripts first on PATH."""
    env = dict(os.environ)
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = scripts + os.pathsep + env.get("PATH", "")
    return env


def run_nbgrader(course_root: Path, *args: str) -> NbgraderRun:
    exe = Path(sys.executable).with_name("nbgrader")
    cmd = [str(exe) if exe.exists() else "nbgrader", *args]
    proc = subprocess.run(cmd, cwd=course_root, env=nbgrader_env(), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return NbgraderRun(list(args), proc.returncode, proc.stdout)


def run_nbgrader_concurrently(course_roots: list[Path], *args: str) -> list[NbgraderRun]:
    """The same nbgrader command in several course directories at once, one process each.

    nbgrader grades one submission after another (jupyter/nbgrader #174); separate copies of a course,
    each with its own gradebook and its own share of the submissions, use every core."""
    exe = Path(sys.executable).with_name("nbgrader")
    cmd = [str(exe) if exe.exists() else "nbgrader", *args]
    running = []
    for root in course_roots:
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # a pipe could fill up and stall it
        proc = subprocess.Popen(cmd, cwd=root, env=nbgrader_env(), stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, text=True)
        running.append((proc, log))
    runs = []
    for proc, log in running:
        code = proc.wait()
        log.seek(0)
        runs.append(NbgraderRun(list(args), code, log.read()))
        log.close()
    return runs
