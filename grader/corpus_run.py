"""Grade the corpus through real `nbgrader autograde` in one batch, and judge the grades.

One batch serves `grader corpus` and `grader ci`: a temporary copy of the course is released with
`nbgrader generate_assignment`, then one submission per corpus entry (the reference everywhere except
the entry's function; only the entry's notebook is submitted, since notebooks run in separate kernels
and nbgrader scores a notebook that was not submitted zero without running it) and, for `ci`, the
guard submissions below are written into copies of the course, one per core, each with its own
gradebook, and graded at once (grader.nbgrader_cli.run_nbgrader_concurrently).

The judging functions (`judge_entry`, `differing_cells`, `corpus_guards`, `ci_guards`) take plain
score dictionaries, so they are tested without nbgrader.
"""

from __future__ import annotations

import ast
import json
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .course import Course, load_course
from .course_assignment import only_assignment
from .demo import copy_course
from .nbgrader_cli import run_nbgrader, run_nbgrader_concurrently
from .release_check import release_leaks, stale_release
from .scores import gradebook_scores
from .submissions import (CorpusEntry, build_submission, do_nothing, mutant, mutants, solution_answers,
                          variants, write_submission)

# The corpus (grader/corpus/<kind>/<notebook>/) is per notebook, so it serves course.yaml's one assignment.
ONE_ASSIGNMENT = "the corpus (grader/corpus/) is graded for a course of one assignment"
KEEP_MARKER = ".grader-corpus-run"  # lets --keep recreate a folder only when a previous run made it
# Points are fractions of a cell's points; anything smaller than this is float noise, not a lost point.
EPS = 1e-9

# Determinism: each repeated submission is graded three times, as <prefix>_<name>. nbgrader grades the
# students of a course directory in sorted order of their folders, and corpus names are lowercase
# words starting a..v, so "0_" sorts before all of them, "m_" about halfway and "zz_" after all. The
# copies go to different shards (assign_shards), so they also run in different processes, among
# different neighbours. The positions actually reached are recorded and reported.
REPEAT_PREFIXES = ("0", "m", "zz")
# One mutant per notebook, each failing a Hypothesis property: the repeats then cover a property's
# search and shrinking to the smallest failing example, not only properties that pass.
MIXED_MUTANTS = ("svm_vectorized_reg_gradient_missing", "l1_no_abs", "rel_error_no_floor",
                 "sample_minibatch_two_draws", "color_hist_not_normalized")
STUBS = "stubs"
DO_NOTHING = "do_nothing"  # do_nothing_<k>: the stubs with the k-th do-nothing answer of every function
VARIANTS = "variants"      # variants_<k>: the solution with the k-th correct variant of every function
BROKEN = "broken_json"  # notebooks that are not valid JSON: graded as placeholders that score 0


class CorpusRunError(RuntimeError):
    """The batch could not be set up or run (one line, shown as `error: ...`)."""


# -- the submissions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    student: str
    notebooks: tuple[str, ...]
    entries: tuple[CorpusEntry, ...] = ()   # swapped in for the reference
    solved: bool = True                      # False: the release untouched
    broken: bool = False                     # files that are not valid JSON
    repeat_of: str | None = None             # the submission this one copies, for determinism

    @property
    def weight(self) -> int:
        """Grading cost in notebooks executed: a broken submission is rejected before any runs."""
        return 0 if self.broken else len(self.notebooks)


def corpus_entries(only: str | None = None, notebook: str | None = None) -> list[tuple[str, CorpusEntry]]:
    """(kind, entry) of the corpus, kind "mutant", "variant" or "do_nothing"."""
    out = []
    if only in (None, "mutants"):
        out += [("mutant", e) for e in mutants(notebook)]
    if only in (None, "variants"):
        out += [("variant", e) for e in variants(notebook)]
    if only in (None, "do_nothing"):
        out += [("do_nothing", e) for e in do_nothing(notebook)]
    return out


def grouped(prefix: str, entries: list[CorpusEntry], notebooks: list[str], *, solved: bool) -> list[Submission]:
    """Entries that need no submission of their own share one: the k-th entry of every function goes
    into `<prefix>_<k>`, with only the notebooks that hold one (all of them for k = 0 on the stubs).
    A check calls only the function it grades, so each function's cells judge its own entry. Used for
    do-nothing answers (on the stubs: the whole submission must score 0, and do_nothing_0 is a whole
    assignment of them) and for correct variants (on the solution: the whole submission must keep every
    point). Mutants keep a submission each, since isolation is judged on the others' cells."""
    by_function: dict[str, list[CorpusEntry]] = {}
    for e in entries:
        by_function.setdefault(e.function, []).append(e)
    groups = max((len(v) for v in by_function.values()), default=0)
    subs = []
    for k in range(groups):
        chosen = tuple(v[k] for v in by_function.values() if k < len(v))
        names = [nb for nb in notebooks if any(e.notebook == nb for e in chosen)]
        whole = k == 0 and not solved
        subs.append(Submission(f"{prefix}_{k}", tuple(notebooks if whole else names), chosen, solved=solved))
    return subs


def plan(notebooks: list[str], entries: list[tuple[str, CorpusEntry]], *, guards: bool) -> list[Submission]:
    """The submissions of one batch: the corpus entries and, with `guards`, three copies each of the
    solution and of a five-notebook submission with one mutant per notebook, the stubs and a broken
    submission."""
    subs = [Submission(e.name, (e.notebook,), (e,)) for kind, e in entries if kind == "mutant"]
    subs += grouped(VARIANTS, [e for kind, e in entries if kind == "variant"], notebooks, solved=True)
    subs += grouped(DO_NOTHING, [e for kind, e in entries if kind == "do_nothing"], notebooks, solved=False)
    if guards:
        mixed = tuple(mutant(name) for name in MIXED_MUTANTS)
        for prefix in REPEAT_PREFIXES:
            subs.append(Submission(f"{prefix}_solution", tuple(notebooks), repeat_of="solution"))
            subs.append(Submission(f"{prefix}_mixed", tuple(notebooks), mixed, repeat_of="mixed"))
        subs.append(Submission(STUBS, tuple(notebooks), solved=False))
        subs.append(Submission(BROKEN, tuple(notebooks), broken=True))
    # Entries are judged by name, so a mutant and a do-nothing answer may not share one.
    names = [s.student for s in subs] + [e.name for s in subs if s.student.startswith((DO_NOTHING, VARIANTS))
                                         for e in s.entries]
    if duplicates := sorted({n for n in names if names.count(n) > 1}):
        raise CorpusRunError(f"two corpus entries or submissions are named {duplicates[0]}: rename a corpus file")
    return subs


def grading_order(students: list[str]) -> list[str]:
    """nbgrader's order within one course directory: sorted submitted/<student>/<assignment> paths."""
    return sorted(students, key=lambda s: s + "/")


def assign_shards(subs: list[Submission], jobs: int) -> list[list[Submission]]:
    """Split the submissions over `jobs` course copies: the k-th copy of the g-th repeated submission
    to shard k + g (so with two shards, each shard grades one copy first and another last), the rest
    heaviest first to the least loaded shard, so the shards finish at about the same time."""
    n = max(1, min(jobs, len(subs)))
    shards: list[list[Submission]] = [[] for _ in range(n)]
    groups = list(dict.fromkeys(s.repeat_of for s in subs if s.repeat_of))
    copies: dict[str, int] = {}
    for s in subs:
        if s.repeat_of:
            k = copies.get(s.repeat_of, 0)
            copies[s.repeat_of] = k + 1
            shards[(k + groups.index(s.repeat_of)) % n].append(s)
    for s in sorted((s for s in subs if not s.repeat_of), key=lambda s: -s.weight):
        min(shards, key=lambda shard: sum(x.weight for x in shard)).append(s)
    return [shard for shard in shards if shard]


# -- one batch through nbgrader ----------------------------------------------------------------------


@dataclass
class Graded:
    student: str
    shard: int
    position: int                       # 1-based place in its shard's grading order
    of: int                             # submissions in that shard
    cells: dict[str, float] | None      # grade_id -> score; None: not in the gradebook
    feedback: dict[str, str] = field(default_factory=dict, repr=False)  # grade_id -> the test cell's text


@dataclass
class Batch:
    students: dict[str, Graded]
    failed: set[str]                    # students nbgrader's log reports it could not process
    errors: list[str]                   # nbgrader's ERROR lines
    stale: list[str]                    # the committed release against the one generated here
    shards: int
    autograde_seconds: float
    wall_seconds: float
    course_dir: Path | None             # the kept folder (shard0, shard1, ...), or None


@contextmanager
def _workdir(keep: Path | None):
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="grader-corpus-") as tmp:
            yield Path(tmp)
        return
    keep = keep.resolve()
    if keep.exists() and any(keep.iterdir()) and not (keep / KEEP_MARKER).exists():
        raise CorpusRunError(f"--keep {keep}: expected a new or empty folder (or one a previous run kept)")
    if keep.exists():
        shutil.rmtree(keep)
    keep.mkdir(parents=True)
    (keep / KEEP_MARKER).write_text("a course folder kept by `grader corpus` / `grader ci`\n", encoding="utf-8")
    yield keep


def assignment_of(course: Course) -> str:
    """The assignment the corpus is graded in: course.yaml's only one."""
    return only_assignment(course, ONE_ASSIGNMENT)


def _write(release_root: Path, shard_root: Path, assignment: str, sub: Submission) -> None:
    if sub.broken:
        folder = shard_root / "submitted" / sub.student / assignment
        folder.mkdir(parents=True)
        for nb in sub.notebooks:
            (folder / f"{nb}.ipynb").write_text('{"cells": [ {"cell_type": ', encoding="utf-8")
        return
    notebooks = {nb: build_submission(release_root, assignment, nb, solved=sub.solved,
                                      with_mutants=[e for e in sub.entries if e.notebook == nb])
                 for nb in sub.notebooks}
    write_submission(shard_root, sub.student, assignment, notebooks)


def grade_batch(repo: Path, assignment: str, subs: list[Submission], *, jobs: int, keep: Path | None = None) -> Batch:
    """Release `assignment` in a temporary copy of the course, write `subs` into `jobs` copies and
    autograde them all at once; scores come from each copy's own gradebook."""
    started = time.perf_counter()
    with _workdir(keep) as base:
        root = base / "shard0"
        copy_course(repo, root)
        gen = run_nbgrader(root, "generate_assignment", assignment, "--force")
        if gen.returncode != 0:
            last = (gen.error_lines() or gen.log.strip().splitlines() or ["no output"])[-1]
            raise CorpusRunError(f"nbgrader generate_assignment {assignment} failed: {last.strip()}")
        stale = stale_release(root / "assignments", repo / "assignments", assignment)
        course = load_course(root / "course.yaml")
        shards = assign_shards(subs, jobs)
        roots = [root] + [base / f"shard{i}" for i in range(1, len(shards))]
        for r in roots[1:]:
            shutil.copytree(root, r)  # the released course and its gradebook, before any submission
        placed: dict[str, tuple[int, int, int]] = {}
        for i, (r, shard) in enumerate(zip(roots, shards)):
            order = grading_order([s.student for s in shard])
            for s in shard:
                _write(root, r, assignment, s)
                placed[s.student] = (i, order.index(s.student) + 1, len(order))
        t0 = time.perf_counter()
        runs = run_nbgrader_concurrently(roots, "autograde", assignment)
        autograde_seconds = time.perf_counter() - t0
        cells: dict[str, dict[str, float]] = {}
        for r, run in zip(roots, runs):
            (r / "autograde.log").write_text(run.log, encoding="utf-8")
            for row in gradebook_scores(course, assignment, f"sqlite:///{r / 'gradebook.db'}"):
                cells[row.student] = row.cells
        repeated = {s.student for s in subs if s.repeat_of}
        students = {name: Graded(name, *where, cells.get(name),
                                 feedback_texts(roots[where[0]], assignment, name) if name in repeated else {})
                    for name, where in placed.items()}
        return Batch(students, set().union(*(run.failed_students() for run in runs)),
                     [line for run in runs for line in run.error_lines()], stale, len(roots),
                     autograde_seconds, time.perf_counter() - started, keep.resolve() if keep else None)


def feedback_texts(course_root: Path, assignment: str, student: str) -> dict[str, str]:
    """grade_id -> everything an autograded test cell shows the student (its outputs' text), from the
    student's autograded notebooks: what the determinism guard compares word for word."""
    import nbformat

    out = {}
    for path in sorted((course_root / "autograded" / student / assignment).glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                out[meta["grade_id"]] = "".join(o.get("text", "") or "".join(o.get("data", {}).get("text/plain", ""))
                                                for o in cell.outputs)
    return out


# -- judging -----------------------------------------------------------------------------------------


def autograded_points(course: Course, notebook: str | None = None) -> dict[str, float]:
    """grade_id -> points of every autograded test cell (of one notebook, or of the assignment)."""
    return {gid: cell.points for name, nb in course.assignments[assignment_of(course)].notebooks.items()
            if notebook in (None, name) for task in nb.tasks.values() for gid, cell in task.tests.items()}


def graded_functions(course: Course, notebooks: list[str]) -> list[tuple[str, str]]:
    """(notebook, name) of every autograded function or class, in course order: the tasks whose
    solution answer defines what the task is named (a question's answer is a value, not code a corpus
    entry can replace). Listed so a function the corpus does not cover shows up with no mutants."""
    assignment = assignment_of(course)
    out = []
    for nb_name in notebooks:
        answers = solution_answers(course.root / "solutions" / assignment / f"{nb_name}.ipynb")
        for task in course.assignments[assignment].notebooks[nb_name].tasks.values():
            try:
                tree = ast.parse(answers.get(task.name, ""))
            except SyntaxError:
                continue
            if task.tests and any(isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name == task.name
                                  for n in tree.body):
                out.append((nb_name, task.name))
    return out


def points_lost(points: dict[str, float], got: dict[str, float]) -> dict[str, float]:
    """grade_id -> points lost, for the cells of `points` that did not get their full points."""
    lost = {gid: full - (got.get(gid) or 0.0) for gid, full in points.items()}
    return {gid: round(v, 6) for gid, v in lost.items() if v > EPS}


@dataclass
class EntryResult:
    name: str
    kind: str                   # mutant | variant
    notebook: str
    function: str
    description: str
    lost: dict[str, float]      # grade_id -> points lost, over the autograded cells of its notebook
    verdict: str                # killed | survived | isolation defect | passes | failed | earns nothing |
                                # earns points | not graded
    student: str = ""           # the submission it was graded in (its own, or a shared variants_/do_nothing_)

    @property
    def ok(self) -> bool:
        return self.verdict in ("killed", "passes", "earns nothing")


def judge_entry(kind: str, entry: CorpusEntry, points: dict[str, float], got: dict[str, float] | None) -> EntryResult:
    """A mutant is killed when it loses points on its own function's cells (grade_id
    `<function>-<aspect>`) and nowhere else; points lost on another function's cells are an isolation
    defect (one bug must cost points once). A variant passes when it keeps every point. `points` are
    the autograded cells of the entry's notebook. A do-nothing answer earns nothing when every cell of
    its function scores 0; `lost` then lists what it did earn on them."""
    lost = points_lost(points, got or {})
    if got is None or not points.keys() & got.keys():
        verdict = "not graded"
    elif kind == "do_nothing":
        earned = {gid: round(got.get(gid) or 0.0, 6) for gid in points
                  if gid.startswith(f"{entry.function}-") and (got.get(gid) or 0.0) > EPS}
        return EntryResult(entry.name, kind, entry.notebook, entry.function, entry.description, earned,
                           "earns points" if earned else "earns nothing")
    elif kind == "variant":
        verdict = "failed" if lost else "passes"
    elif any(not gid.startswith(f"{entry.function}-") for gid in lost):
        verdict = "isolation defect"
    else:
        verdict = "killed" if lost else "survived"
    return EntryResult(entry.name, kind, entry.notebook, entry.function, entry.description, lost, verdict)


def differing_cells(copies: list[dict[str, float] | None], texts: list[dict[str, str]] = ()) -> list[str]:
    """The cells whose scores, or feedback text, are not identical across copies of one submission
    (exact: the same submission must get the same floats and the same words); "(not graded)" when a
    copy has no scores."""
    if any(c is None for c in copies):
        return ["(not graded)"]
    cells = set().union(*copies)
    differing = {gid for gid in cells if len({c.get(gid) for c in copies}) > 1}
    if texts:
        words = set().union(*texts)
        differing |= {f"{gid} (feedback text)" for gid in words if len({t.get(gid) for t in texts}) > 1}
    return sorted(differing)


@dataclass
class Repeat:
    name: str
    copies: list[Graded]
    differing: list[str]

    @property
    def layout(self) -> str:
        return ", ".join(f"{g.student} shard {g.shard} #{g.position}/{g.of}" for g in self.copies)


@dataclass
class Guard:
    name: str
    passed: bool
    reason: str


@dataclass
class CorpusResult:
    entries: list[EntryResult]
    batch: Batch
    repeats: list[Repeat] = field(default_factory=list)
    guards: list[Guard] = field(default_factory=list)
    functions: list[tuple[str, str]] = field(default_factory=list)  # (notebook, function) in course order

    @property
    def exit_code(self) -> int:
        return 0 if all(g.passed for g in self.guards) else 1

    def to_json(self) -> dict:
        b = self.batch
        return {
            "exit_code": self.exit_code,
            "guards": [asdict(g) for g in self.guards],
            "wall_seconds": round(b.wall_seconds, 1),
            "autograde_seconds": round(b.autograde_seconds, 1),
            "shards": b.shards,
            "course_dir": str(b.course_dir) if b.course_dir else None,
            "failed_students": sorted(b.failed),
            "stale_release": b.stale,
            "entries": [asdict(e) | {"ok": e.ok} for e in self.entries],
            "repeats": [{"name": r.name, "copies": [g.student for g in r.copies], "differing": r.differing}
                        for r in self.repeats],
            "students": {name: {k: v for k, v in asdict(g).items() if k != "feedback"}
                         for name, g in sorted(b.students.items())},
        }


def _names(items: list[str], limit: int = 6) -> str:
    return ", ".join(items[:limit]) + (f" and {len(items) - limit} more" if len(items) > limit else "")


def corpus_guards(entries: list[EntryResult]) -> list[Guard]:
    """Every mutant killed on its own function's cells, no isolation defect, every variant full marks."""
    guards = []
    muts = [e for e in entries if e.kind == "mutant"]
    if muts:
        missed = [f"{e.name} ({e.verdict})" for e in muts if e.verdict in ("survived", "not graded")]
        killed = sum(e.verdict == "killed" for e in muts)
        guards.append(Guard("mutants killed", not missed,
                            f"{killed}/{len(muts)} killed on their own function's cells" +
                            (f"; missed: {_names(missed)}" if missed else "")))
        leaks = [f"{e.name} on {_names(sorted(g for g in e.lost if not g.startswith(e.function + '-')), 3)}"
                 for e in muts if e.verdict == "isolation defect"]
        guards.append(Guard("isolation", not leaks, "every mutant loses points on its own function only"
                            if not leaks else f"{len(leaks)} lose points elsewhere: {_names(leaks, 3)}"))
    guards += _kind_guard(entries, "do_nothing", "do-nothing answers earn nothing",
                          "score 0 on every cell of their function", "earning")
    guards += _kind_guard(entries, "variant", "variants keep every point", "keep every point", "failed")
    return guards


def _kind_guard(entries: list[EntryResult], kind: str, name: str, holds: str, breaking: str) -> list[Guard]:
    """One guard over the entries of one kind (none if the batch has none): how many hold, and which not."""
    group = [e for e in entries if e.kind == kind]
    if not group:
        return []
    bad = [f"{e.name} ({e.verdict}: {_names(sorted(e.lost), 3)})" if e.lost else f"{e.name} ({e.verdict})"
           for e in group if not e.ok]
    return [Guard(name, not bad, f"{len(group) - len(bad)}/{len(group)} {holds}" +
                  (f"; {breaking}: {_names(bad, 3)}" if bad else ""))]


def _full(points: dict[str, float], graded: Graded | None, want_zero: bool = False) -> str | None:
    """None when `graded` got every point (or, with want_zero, none); else what went wrong."""
    if graded is None or graded.cells is None:
        return "not graded"
    if want_zero:
        kept = sorted(g for g in points if (graded.cells.get(g) or 0.0) > EPS)
        return f"scores on {_names(kept, 3)}" if kept else None
    lost = points_lost(points, graded.cells)
    return f"loses {sum(lost.values()):g} on {_names(sorted(lost), 3)}" if lost else None


def ci_guards(points: dict[str, float], subs: list[Submission], batch: Batch, repeats: list[Repeat],
              entries: list[EntryResult], leaks: list[str]) -> list[Guard]:
    """The instructors' guard, in the order it is printed."""
    total = sum(points.values())
    guards = [
        Guard("release in sync", not batch.stale, "assignments/ is what nbgrader generate_assignment produces"
              if not batch.stale else "; ".join(batch.stale[:3])),
        Guard("release leak-free", not leaks, "no solution or hidden-test text in assignments/"
              if not leaks else "; ".join(leaks[:3])),
    ]
    solutions = [s.student for s in subs if s.repeat_of == "solution"]
    wrong = [f"{s}: {why}" for s in solutions if (why := _full(points, batch.students.get(s)))]
    guards.append(Guard("solution full marks", bool(solutions) and not wrong,
                        f"{len(solutions)} copies, {total:g}/{total:g} autograded points each" if not wrong
                        else "; ".join(wrong[:3])))
    why = _full(points, batch.students.get(STUBS), want_zero=True)
    guards.append(Guard("stubs score zero", why is None, f"0/{total:g} autograded points" if why is None else why))
    whole = f"{DO_NOTHING}_0"
    if any(s.student == whole for s in subs):
        why = _full(points, batch.students.get(whole), want_zero=True)
        guards.append(Guard("do-nothing submission scores zero", why is None,
                            f"every function answered by one that ignores its inputs: 0/{total:g}"
                            if why is None else why))
    guards += corpus_guards(entries)
    differing = [f"{r.name} differs on {_names(r.differing, 3)}" for r in repeats if r.differing]
    guards.append(Guard("determinism", bool(repeats) and not differing,
                        "identical per-cell scores and feedback text in every copy: "
                        + "; ".join(r.layout for r in repeats)
                        if repeats and not differing else "; ".join(differing) or "nothing was repeated"))
    # Unreadable notebooks are graded as placeholders (grader.broken_notebooks): their cells score 0 and
    # the student's other work is graded, so every submission, the broken one included, has scores.
    expected = {s.student for s in subs}
    unexpected = sorted(batch.failed)
    missing = sorted(s for s in expected - set(unexpected) if (g := batch.students.get(s)) is None or g.cells is None)
    broken_scored = [f"{s.student} {why}" for s in subs if s.broken and s.student not in missing
                     and (why := _full(points, batch.students.get(s.student), want_zero=True))]
    problems = ([f"nbgrader failed on {_names(unexpected)}"] if unexpected else []) + \
               ([f"no scores for {_names(missing)}"] if missing else []) + \
               ([f"unreadable notebooks earned points: {'; '.join(broken_scored)}"] if broken_scored else [])
    guards.append(Guard("every submission graded", not problems,
                        f"{len(expected)} graded; the unreadable notebooks of {BROKEN} score 0" if not problems
                        else "; ".join(problems)
                        + (f" (last error: {batch.errors[-1].strip()})" if batch.errors else "")))
    return guards


def judge(course: Course, entries: list[tuple[str, CorpusEntry]], subs: list[Submission], batch: Batch,
          *, ci: bool, leaks: list[str] = ()) -> CorpusResult:
    group_of = {e.name: s for s in subs for e in s.entries if s.student.startswith((DO_NOTHING, VARIANTS))}
    results = []
    for kind, e in entries:
        points = autograded_points(course, e.notebook)
        group = group_of.get(e.name)
        if group is not None and kind == "variant":
            # The cells of the other variants in the group judge those; the rest must be full too.
            others = {x.function for x in group.entries if x is not e}
            points = {g: p for g, p in points.items() if not any(g.startswith(f"{f}-") for f in others)}
        got = (batch.students.get(group.student if group else e.name) or Graded(e.name, 0, 0, 0, None)).cells
        result = judge_entry(kind, e, points, got)
        result.student = group.student if group else e.name
        results.append(result)
    repeats = []
    for name in dict.fromkeys(s.repeat_of for s in subs if s.repeat_of):
        copies = [batch.students[s.student] for s in subs if s.repeat_of == name]
        repeats.append(Repeat(name, copies, differing_cells([g.cells for g in copies], [g.feedback for g in copies])))
    guards = (ci_guards(autograded_points(course), subs, batch, repeats, results, list(leaks)) if ci
              else corpus_guards(results))
    notebooks = [nb for nb in course.assignments[assignment_of(course)].notebooks
                 if any(e.notebook == nb for _, e in entries)]
    return CorpusResult(results, batch, repeats, guards, graded_functions(course, notebooks))


def run_corpus(repo: Path, *, jobs: int, keep: Path | None = None, only: str | None = None,
               notebook: str | None = None) -> CorpusResult:
    """`grader corpus`: the corpus entries (filtered), graded and judged."""
    course = load_course(repo / "course.yaml")
    assignment = assignment_of(course)
    entries = corpus_entries(only, notebook)
    if not entries:
        raise CorpusRunError(f"no corpus entries for --only {only or 'all'} --notebook {notebook or 'all'}")
    subs = plan(list(course.assignments[assignment].notebooks), entries, guards=False)
    return judge(course, entries, subs, grade_batch(repo, assignment, subs, jobs=jobs, keep=keep), ci=False)


def run_ci(repo: Path, *, jobs: int, keep: Path | None = None) -> CorpusResult:
    """`grader ci`: the release, the solution, the stubs, the whole corpus and determinism, from one
    batch autograde run."""
    course = load_course(repo / "course.yaml")
    assignment = assignment_of(course)
    entries = corpus_entries()
    subs = plan(list(course.assignments[assignment].notebooks), entries, guards=True)
    leaks = release_leaks(repo, assignment)
    return judge(course, entries, subs, grade_batch(repo, assignment, subs, jobs=jobs, keep=keep), ci=True,
                 leaks=leaks)


def write_json(result: CorpusResult, path: Path) -> None:
    path.write_text(json.dumps(result.to_json(), indent=1, sort_keys=False) + "\n", encoding="utf-8")
