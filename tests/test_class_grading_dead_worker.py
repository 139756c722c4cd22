"""A student whose Dask worker keeps dying is reported "not graded" with the cause, and left untouched.

With `retries=0` (Dask's allowed-failures) one death is enough: the test kills the LocalCluster's worker
process while it grades (once its kernel runs), and the run must finish, name the cause, and write
nothing for the student but the status."""

from __future__ import annotations

import signal
import threading
import time

import psutil
import pytest
from class_grading_support import ASSIGNMENT, gradebook_rows, released_course, solved, submit
from rich.console import Console

from grader import grading_status
from grader.class_grading.runner import Options, grade_class

pytestmark = pytest.mark.e2e


def _kill_grading_worker(stop: threading.Event) -> None:
    me = psutil.Process()
    while not stop.is_set():
        for child in me.children():  # the LocalCluster's worker processes are this process's children
            try:
                if any("ipykernel" in " ".join(p.cmdline()) for p in child.children(recursive=True)):
                    child.send_signal(signal.SIGKILL)
                    return
            except psutil.Error:
                continue
        time.sleep(0.2)


def test_worker_dying_beyond_retries_leaves_the_student_not_graded(tmp_path):
    root = released_course(tmp_path / "course", tmp_path / "released")
    submit(root, "s1", {"regularization": solved(root, "regularization")})
    stop = threading.Event()
    killer = threading.Thread(target=_kill_grading_worker, args=(stop,), daemon=True)
    killer.start()
    try:
        tally = grade_class(root, Options(ASSIGNMENT, jobs=1, retries=0), Console(width=140), bar=False)
    finally:
        stop.set()
    assert tally.graded == [] and tally.not_graded == {"s1": "its Dask worker died once (killed or out of memory)"}
    assert gradebook_rows(root) == {}
    assert not (root / "autograded" / "s1").exists()
    rows = grading_status.read(f"sqlite:///{root / 'gradebook.db'}", ASSIGNMENT)
    head = next(r for r in rows if r.notebook is None)
    assert (head.status, head.cause) == ("not graded", "its Dask worker died once (killed or out of memory)")
