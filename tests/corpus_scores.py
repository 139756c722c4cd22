"""Dump every corpus entry's per-cell scores and feedback text to JSON, to prove a refactor changes no grade.

Usage (from the repository root):

    .venv/bin/python tests/corpus_scores.py /tmp/scores_before.json     # on the old commit
    .venv/bin/python tests/corpus_scores.py /tmp/scores_after.json      # after the change
    .venv/bin/python tests/corpus_scores.py --compare /tmp/scores_before.json /tmp/scores_after.json

Entries: every mutant, variant and do-nothing answer of the corpus, plus the solution's and the released
stub's answer for every autograded task (questions included). Each is graded in this process, in the
namespace `corpus_in_process` builds, with the answer each hidden test cell names (`grade("<id>", q1)`
passes q1, not the task's name), so the whole run takes about a minute. The JSON maps
"<kind>/<notebook>/<name>" -> grade_id -> [score, feedback].
"""

from __future__ import annotations

import ast
import functools
import json
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))   # corpus_in_process lives beside this file

from corpus_in_process import ASSIGNMENT, COURSE, REPO, function_cells, namespace_with  # noqa: E402
from grader.grading import run_check  # noqa: E402
from grader.preprocessors.trusted_grading import hidden_test_call  # noqa: E402
from grader.submissions import CorpusEntry, do_nothing, mutants, solution_answers, variants  # noqa: E402


@functools.lru_cache(maxsize=None)
def _answer_expressions(notebook: str) -> dict[str, ast.expr]:
    """grade_id -> the answer expression of the notebook's hidden test cell `grade("<grade_id>", <answer>)`."""
    nb = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{notebook}.ipynb", as_version=4)
    out = {}
    for cell in nb.cells:
        call = hidden_test_call(cell.source) if cell.cell_type == "code" else None
        if call:
            out[call[0]] = call[1]
    return out


def _value(ns: dict, expr: ast.expr):
    """The answer the checks receive: each named value (None if undefined), in the expression's shape."""
    if isinstance(expr, ast.Name):
        return ns.get(expr.id)
    return tuple(_value(ns, e) for e in expr.elts)


def grade(entry: CorpusEntry) -> dict[str, tuple[float, str]]:
    """grade_id -> (score, feedback) of every cell of the entry's task, as the trusted step grades it."""
    ns = namespace_with(entry)
    expressions = _answer_expressions(entry.notebook)
    out = {}
    for grade_id in function_cells(entry.notebook, entry.function):
        outcome, _, _ = run_check(COURSE, grade_id, _value(ns, expressions[grade_id]))
        out[grade_id] = (outcome.score, outcome.report())
    return out


def _answers_of(kind: str) -> list[CorpusEntry]:
    """The solution's ("solution") or the release's ("stub") answer of every autograded task."""
    folder = "solutions" if kind == "solution" else "assignments"
    out = []
    for notebook, nb in COURSE.assignments[ASSIGNMENT].notebooks.items():
        sources = solution_answers(REPO / folder / ASSIGNMENT / f"{notebook}.ipynb")
        for function, task in nb.tasks.items():
            if task.tests:
                out.append(CorpusEntry(function, notebook, function, kind, sources[function]))
    return out


def entries() -> dict[str, CorpusEntry]:
    """key -> entry, for every entry the comparison covers."""
    out = {}
    for kind, listed in (("mutants", mutants()), ("variants", variants()), ("do_nothing", do_nothing()),
                         ("solution", _answers_of("solution")), ("stub", _answers_of("stub"))):
        for entry in listed:
            out[f"{kind}/{entry.notebook}/{entry.name}"] = entry
    return out


def scores() -> dict[str, dict[str, list]]:
    return {key: {gid: [score, text] for gid, (score, text) in grade(entry).items()}
            for key, entry in entries().items()}


def compare(before: dict, after: dict) -> list[str]:
    """One line per difference: an entry or cell present on one side only, a score or a feedback text."""
    lines = []
    for key in sorted(set(before) | set(after)):
        if key not in before or key not in after:
            lines.append(f"{key}: only {'after' if key in after else 'before'}")
            continue
        for gid in sorted(set(before[key]) | set(after[key])):
            b, a = before[key].get(gid), after[key].get(gid)
            if b is None or a is None:
                lines.append(f"{key} {gid}: only {'after' if a is not None else 'before'}")
            elif b[0] != a[0]:
                lines.append(f"{key} {gid}: score {b[0]} -> {a[0]}")
            elif b[1] != a[1]:
                lines.append(f"{key} {gid}: feedback differs\n--- before\n{b[1]}\n--- after\n{a[1]}")
    return lines


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"] and len(argv) == 3:
        before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in argv[1:])
        lines = compare(before, after)
        cells = sum(len(v) for v in before.values())
        print("\n".join(lines) if lines else f"identical: {len(before)} entries, {cells} cells")
        return 1 if lines else 0
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    Path(argv[0]).write_text(json.dumps(scores(), indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
