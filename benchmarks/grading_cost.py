"""Grading cost, measured in one run; prints figures, asserts nothing (machines here are noisy).

1. Hidden checks of each notebook on the reference solutions: run in-process, and as autograde runs
   them (the trusted step: checks here, answers in the grading worker, whose CPU counts too). CPU
   seconds and the ratio to the 1 s target. Also the cost of importing the check library once.
2. `nbgrader autograde` of one full submission (the solutions), against the same run with the hidden
   checks switched off (`TrustedGrading.enabled = False`): wall and CPU (nbgrader and its kernel), and
   the ratio to 1.3x; and the trusted step's own time (the checks run outside the kernel, in the
   grading worker) against the rest of the run, which is mostly the kernel executing the notebooks.

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
from grader.course_assignment import only_assignment  # noqa: E402
from grader.demo import copy_course  # noqa: E402
from grader.nbgrader_cli import run_nbgrader  # noqa: E402
from grader.submissions import build_submission, solution_answers, write_submission  # noqa: E402

ASSIGNMENT = only_assignment(load_course(REPO / "course.yaml", check_notebooks=False))


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


def trusted_checks_cpu(course, notebook: str) -> float:
    """CPU seconds of the trusted step for `notebook` on the reference answers: the checks in this
    process plus the grading worker (start, loading the answers, every call)."""
    from types import SimpleNamespace

    from grader.grading import run_check
    from grader.preprocessors.trusted_grading import answer_value, hidden_test_call, worker_cells
    from grader.sandbox.proxies import active
    from grader.sandbox.session import Session

    solution = REPO / "solutions" / ASSIGNMENT / f"{notebook}.ipynb"
    nb = nbformat.read(solution, as_version=4)
    answers = solution_answers(solution)
    provided, tests = {}, {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
        elif meta.get("grade") and cell.cell_type == "code":
            tests[meta["grade_id"]] = cell.source
        elif meta.get("locked"):
            provided[meta["grade_id"]] = SimpleNamespace(locked=True, cell_type=cell.cell_type, source=cell.source)
    start = time.process_time() + children_cpu()
    with Session(worker_cells(nb, provided, set(answers), set(tests))) as session, active(session):
        for grade_id, source in tests.items():
            outcome, _, _ = run_check(course, grade_id, answer_value(session, hidden_test_call(source)[1]))
            assert outcome.fraction == 1.0, outcome.report()
    return time.process_time() + children_cpu() - start


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def prepare(root: Path, hidden_checks: bool) -> None:
    copy_course(REPO, root)
    if not hidden_checks:
        # The same notebooks, run the same way (the hidden test cells are held back from the kernel in
        # both), with nbgrader's preprocessor for the hidden checks switched off through its own
        # `enabled` setting. Removing the hidden test blocks instead would make the course invalid: each
        # test cell course.yaml lists must call grade().
        with open(root / "nbgrader_config.py", "a", encoding="utf-8") as fh:
            fh.write("\nget_config().TrustedGrading.enabled = False  # noqa: F821 (without the hidden checks)\n")
    gen = run_nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
    assert gen.returncode == 0, gen.log
    course = load_course(root / "course.yaml")
    subs = {nb: build_submission(root, ASSIGNMENT, nb) for nb in course.assignments[ASSIGNMENT].notebooks}
    write_submission(root, "solution", ASSIGNMENT, subs)


TRUSTED_STEP = re.compile(r"Trusted step: graded (\d+) test cells of \S+ outside the kernel in ([\d.]+) s")


def autograde_once(root: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds, and wall seconds of the trusted step (from nbgrader's log)."""
    cpu0, t0 = children_cpu(), time.perf_counter()
    run = run_nbgrader(root, "autograde", ASSIGNMENT, "--force")
    assert run.returncode == 0, run.error_lines()
    trusted = sum(float(s) for n, s in TRUSTED_STEP.findall(run.log) if int(n))
    return time.perf_counter() - t0, children_cpu() - cpu0, trusted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workdir", default=str(REPO / "build" / "benchmark"))
    parser.add_argument("--checks-only", action="store_true", help="skip the autograde runs (part 2)")
    args = parser.parse_args()
    course = load_course(REPO / "course.yaml")

    print("hidden checks on the reference solutions (target: <= 1 s CPU per notebook)")
    print(f"  importing the check library once: {import_cost():.3f} s CPU")
    for _, nb in course.notebooks():
        cpu = [hidden_checks_cpu(course, nb.name)[0] for _ in range(args.repeats)]
        n = hidden_checks_cpu(course, nb.name)[1]
        trusted = [trusted_checks_cpu(course, nb.name) for _ in range(args.repeats)]
        print(f"  {nb.name}: {n} test cells, in-process {statistics.median(cpu):.3f} s CPU, trusted step "
              f"{statistics.median(trusted):.3f} s CPU (medians of {args.repeats}), ratio to target "
              f"{statistics.median(trusted) / 1.0:.2f}")
    if args.checks_only:
        return

    work = Path(args.workdir)
    with_checks, without = work / "with_hidden_checks", work / "without_hidden_checks"
    prepare(with_checks, hidden_checks=True)
    prepare(without, hidden_checks=False)
    runs = {"with": [], "without": []}
    for _ in range(args.repeats):  # interleaved, so drifting machine load hits both alike
        runs["without"].append(autograde_once(without))
        runs["with"].append(autograde_once(with_checks))
    med = {k: (statistics.median(w for w, _, _ in v), statistics.median(c for _, c, _ in v),
               statistics.median(t for _, _, t in v)) for k, v in runs.items()}
    print("nbgrader autograde of one full submission (target: with / without <= 1.3)")
    for k in ("without", "with"):
        print(f"  {k:7s} hidden checks: wall {med[k][0]:.2f} s, CPU {med[k][1]:.2f} s (median of {args.repeats})")
    print(f"  ratio with / without: wall {med['with'][0] / med['without'][0]:.2f}, "
          f"CPU {med['with'][1] / med['without'][1]:.2f}")
    trusted, rest = med["with"][2], med["with"][0] - med["with"][2]
    print(f"  trusted step (checks in the grading worker): {trusted:.2f} s wall, against {rest:.2f} s for the "
          f"rest of the run (the kernel executing the notebooks, nbgrader): ratio {trusted / rest:.2f}")


if __name__ == "__main__":
    main()
