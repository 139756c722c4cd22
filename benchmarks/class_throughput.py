"""Class throughput of `grader autograde` against serial `nbgrader autograde`, measured in one run.

First and last, the machine's own ceiling: how much faster two CPU-bound processes run at once than
one after the other, at that moment (2.0 on two free cores).

Prints figures and asserts nothing (the machines here are shared and noisy):

1. A class of `--students` (default 16) full submissions (five notebooks each: the solutions, and the
   solutions with one mutant per notebook), graded twice from the same released course: serial
   `nbgrader autograde <assignment>` (course.yaml's only one), and `grader autograde --jobs 2`. Wall
   times and their ratio (target: at least 1.8x on 2 cores).
2. One against two Dask workers: `--jobs 1` on the first `--half` students (default 8) against the
   `--jobs 2` run of part 1; efficiency = (students per second with 2) / (2 x students per second
   with 1) (target: at least 0.85).
3. The per-student breakdown of the `--jobs 2` run, medians: scratch course set-up, nbgrader's start
   (process start and imports, up to the first notebook), sanitizing, kernel start and execution, the
   trusted step, collecting the results in the worker, and the coordinator's gradebook write. Also one
   bare kernel start (jupyter_client, python3), for scale.

Usage: python benchmarks/class_throughput.py [--students 16] [--half 8] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402

from grader.class_grading.runner import Options, grade_class  # noqa: E402
from grader.course import load_course  # noqa: E402
from grader.course_assignment import only_assignment  # noqa: E402
from grader.demo import copy_course  # noqa: E402
from grader.nbgrader_cli import run_nbgrader  # noqa: E402
from grader.submissions import build_submission, mutants, write_submission  # noqa: E402

ASSIGNMENT = only_assignment(load_course(REPO / "course.yaml", check_notebooks=False))
PHASES = ("setup", "start", "sanitize", "kernel", "trusted", "finish", "collect", "write", "cpu")


def write_class(root: Path, n: int) -> list[str]:
    """n students: every fourth the solutions, the others one mutant per notebook (cycling the corpus)."""
    notebooks = list(load_course(root / "course.yaml").assignments[ASSIGNMENT].notebooks)
    pool = {nb: mutants(nb) for nb in notebooks}
    names = []
    for k in range(n):
        student = f"student{k:03d}"
        subs = {}
        for nb in notebooks:
            bug = [] if k % 4 == 0 else [pool[nb][k % len(pool[nb])]]
            subs[nb] = build_submission(root, ASSIGNMENT, nb, with_mutants=bug)
        write_submission(root, student, ASSIGNMENT, subs)
        names.append(student)
    return names


@contextmanager
def measured(what: str):
    """Wall time, CPU time of every finished child process (nbgrader, kernels, workers) and of this
    process, and the machine's load average, around a block (the machine is shared: read CPU with wall)."""
    out = {}
    before = os.getloadavg()[0]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    yield out
    out["wall"] = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    s1 = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu"] = sum(getattr(b, f) - getattr(a, f) for a, b in ((r0, r1), (s0, s1)) for f in ("ru_utime", "ru_stime"))
    # CPU counts only processes this one waited for: nbgrader and its kernels for the serial run; for a
    # Dask run the per-student figure ("cpu" below) comes from each nbgrader run itself.
    print(f"{what}: {out['wall']:.1f} s wall, {out['cpu']:.1f} s CPU of waited-for processes; load average "
          f"{before:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores, shared)", flush=True)


def _spin(seconds_of_work: int) -> None:
    x = 0
    for i in range(seconds_of_work * 30_000_000):
        x += i


def machine_speedup() -> float:
    """How much faster two CPU-bound processes finish together than one after the other, now: the
    ceiling for any 2-job speed-up on this machine at this moment (2.0 on two free cores)."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    t = time.perf_counter()
    one = ctx.Process(target=_spin, args=(1,))
    one.start()
    one.join()
    alone = time.perf_counter() - t
    t = time.perf_counter()
    both = [ctx.Process(target=_spin, args=(1,)) for _ in range(2)]
    for p in both:
        p.start()
    for p in both:
        p.join()
    return 2 * alone / (time.perf_counter() - t)


def kernel_start_seconds() -> float:
    from jupyter_client.manager import start_new_kernel

    t = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3")
    started = time.perf_counter() - t
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--half", type=int, default=8)
    parser.add_argument("--keep", type=Path, help="keep the graded courses in this new folder")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="grader-throughput-"))
    base.mkdir(parents=True, exist_ok=True)
    console = Console(width=140)
    released = base / "released"
    copy_course(REPO, released)
    gen = run_nbgrader(released, "generate_assignment", ASSIGNMENT, "--force")
    if gen.returncode:
        print(gen.log[-3000:])
        return 2
    roots = {}
    for name in ("serial", "jobs2", "jobs1"):
        roots[name] = base / name
        shutil.copytree(released, roots[name])
    students = write_class(roots["serial"], args.students)
    shutil.copytree(roots["serial"] / "submitted", roots["jobs2"] / "submitted")
    for s in students[:args.half]:
        shutil.copytree(roots["serial"] / "submitted" / s, roots["jobs1"] / "submitted" / s)

    print(f"this machine now: two CPU-bound processes at once run {machine_speedup():.2f}x as fast as one "
          "(2.00 on two free cores; the ceiling of the speed-ups below)", flush=True)
    with measured("serial nbgrader autograde") as serial_m:
        serial = run_nbgrader(roots["serial"], "autograde", ASSIGNMENT)
    serial_s = serial_m["wall"]
    print(f"  {len(students)} students, {serial_s / len(students):.1f} s and "
          f"{serial_m['cpu'] / len(students):.1f} s CPU per student, exit {serial.returncode}", flush=True)

    with measured("grader autograde --jobs 2") as two_m:
        two = grade_class(roots["jobs2"], Options(ASSIGNMENT, jobs=2), console, bar=False)
    two_s = two_m["wall"]
    print(f"  {len(two.graded)} graded, {len(two.not_graded)} not graded; speed-up over serial "
          f"{serial_s / two_s:.2f}x (target 1.8x)", flush=True)

    with measured("grader autograde --jobs 1") as one_m:
        one = grade_class(roots["jobs1"], Options(ASSIGNMENT, jobs=1), console, bar=False)
    one_s = one_m["wall"]
    rate1, rate2 = len(one.graded) / one_s, len(two.graded) / two_s
    if rate1 and rate2:
        print(f"  {len(one.graded)} students, {60 * rate1:.2f} students/min; --jobs 2: {60 * rate2:.2f} "
              f"students/min; efficiency {rate2 / (2 * rate1):.2f} (target 0.85)", flush=True)

    print("per student, --jobs 2 run, medians (s):")
    if not two.seconds:
        return 1
    per = {p: [s.get(p, 0.0) for s in two.seconds.values()] for p in PHASES}
    inside = [s.get("setup", 0) + s.get("nbgrader", 0) + s.get("collect", 0) for s in two.seconds.values()]
    for p in PHASES:
        print(f"  {p:9s} {statistics.median(per[p]):7.2f}")
    med = statistics.median(inside)
    over = statistics.median([sum(s.get(p, 0.0) for p in ("setup", "start", "collect", "write"))
                              for s in two.seconds.values()])
    print(f"  task total {med:.2f}; scratch set-up {100 * statistics.median(per['setup']) / med:.1f}% of it; "
          f"all overhead (set-up, nbgrader start, collect, gradebook write) {over:.2f} s = {100 * over / med:.1f}%")
    print(f"  CPU per student: serial nbgrader {serial_m['cpu'] / len(students):.1f} s, a run in a worker "
          f"{statistics.median(per['cpu']):.1f} s (median)")
    print(f"  bare kernel start (jupyter_client, python3): {kernel_start_seconds():.2f} s")
    print(f"this machine after the runs: {machine_speedup():.2f}x for two processes at once")
    for p in (600,):
        print(f"estimate for {p} students on 2 cores: serial {p * serial_s / len(students) / 3600:.1f} h, "
              f"--jobs 2 {p / rate2 / 3600:.1f} h; on k such machines in a cluster about "
              f"{p / rate2 / 3600:.1f} h / k")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
