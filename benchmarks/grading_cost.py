"""Grading cost, measured in one run; prints figures, asserts nothing (machines here are noisy).

1. Hidden checks of each notebook, run in-process on the reference solutions: CPU seconds, and the
   ratio to the 1 s target. Also the cost of importing the check library once.
2. `nbgrader autograde` of one full submission (the solutions), against the same notebooks with the
   hidden test blocks removed: wall and CPU (nbgrader and its kernel), and the ratio to 1.3x.

Usage: python benchmarks/grading_cost.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from grader.course import load_course  # noqa: E402
from grader.demo import copy_course  # noqa: E402
from grader.nbgrader_cli import run_nbgrader  # noqa: E402
from grader.submissions import build_submission, solution_answers, write_submission  # noqa: E402

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS\n?", re.S)
ASSIGNMENT = "lecture3"


def import_cost() -> float:
    code = "import time; t = time.process_time(); import grader.grading, grader.checks; print(time.process_time() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    return float(out.stdout)


def hidden_checks_cpu(course, notebook: str) -> tuple[float, int]:
    """CPU seconds of every hidden check of `notebook` on the reference answers, in-process."""
    from grader.grading import run_check

    solution = REPO / "solutions" / ASSIGNMENT / f"{notebook}.ipynb"
    namespace: dict = {}
    answers = solution_answers(solution)
    for cell in nbformat.read(solution, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and (meta.get("locked") and not meta.get("grade") or meta.get("solution")):
            with contextlib.redirect_stdout(io.StringIO()):  # what the notebook prints is not a figure
                exec(answers.get(meta.get("grade_id"), cell.source), namespace)  # setup, helpers, answers
    calls = []
    for cell in nbformat.read(solution, as_version=4).cells:
        for grade_id, expr in re.findall(r'grade\("([^"]+)", (.+)\)', cell.source):
            calls.append((grade_id, eval(expr, namespace)))
    start = time.process_time()
    for grade_id, answer in calls:
        outcome, _, _ = run_check(course, grade_id, answer)
        assert outcome.fraction == 1.0, outcome.report()
    return time.process_time() - start, len(calls)


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def prepare(root: Path, strip_hidden: bool) -> None:
    copy_course(REPO, root)
    if strip_hidden:
        for path in (root / "solutions" / ASSIGNMENT).glob("*.ipynb"):
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                cell.source = HIDDEN.sub("", cell.source)
            nbformat.write(nb, path)
    gen = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    assert gen.returncode == 0, gen.log
    course = load_course(root / "course.yaml")
    subs = {nb: build_submission(root, ASSIGNMENT, nb) for nb in course.assignments[ASSIGNMENT].notebooks}
    write_submission(root, "solution", ASSIGNMENT, subs)


def autograde_once(root: Path) -> tuple[float, float]:
    cpu0, t0 = children_cpu(), time.perf_counter()
    run = run_nbgrader(root, "autograde", ASSIGNMENT, "--force")
    assert run.returncode == 0, run.error_lines()
    return time.perf_counter() - t0, children_cpu() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", default=str(REPO / "build" / "benchmark"))
    args = parser.parse_args()
    course = load_course(REPO / "course.yaml")

    print("hidden checks, in-process, reference solutions (target: <= 1 s CPU per notebook)")
    print(f"  importing the check library once: {import_cost():.3f} s CPU")
    for _, nb in course.notebooks():
        cpu = [hidden_checks_cpu(course, nb.name)[0] for _ in range(args.repeats)]
        n = hidden_checks_cpu(course, nb.name)[1]
        print(f"  {nb.name}: {n} test cells, {statistics.median(cpu):.3f} s CPU (median of {args.repeats}), "
              f"ratio to target {statistics.median(cpu) / 1.0:.2f}")

    work = Path(args.workdir)
    with_checks, without = work / "with_hidden_checks", work / "without_hidden_checks"
    prepare(with_checks, strip_hidden=False)
    prepare(without, strip_hidden=True)
    runs = {"with": [], "without": []}
    for _ in range(args.repeats):  # interleaved, so drifting machine load hits both alike
        runs["without"].append(autograde_once(without))
        runs["with"].append(autograde_once(with_checks))
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in runs.items()}
    print("nbgrader autograde of one full submission (target: with / without <= 1.3)")
    for k in ("without", "with"):
        print(f"  {k:7s} hidden checks: wall {med[k][0]:.2f} s, CPU {med[k][1]:.2f} s (median of {args.repeats})")
    print(f"  ratio with / without: wall {med['with'][0] / med['without'][0]:.2f}, "
          f"CPU {med['with'][1] / med['without'][1]:.2f}")


if __name__ == "__main__":
    main()
