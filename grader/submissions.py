"""Build submissions from the released notebooks: answer cells filled the way a student would.

Used by the demo class, the end-to-end tests and the corpus runs. A submission starts from the
release (what students receive) and replaces the source of answer cells, by grade_id.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
CORPUS = Path(__file__).with_name("corpus")


def solution_answers(solution_path: Path) -> dict[str, str]:
    """grade_id -> the solution's answer-cell source, without the solution markers."""
    nb = nbformat.read(solution_path, as_version=4)
    answers = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            answers[meta["grade_id"]] = SOLUTION_MARKERS.sub("", cell.source)
    return answers


def fill_answers(release_path: Path, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released notebook with the given answer cells' sources replaced."""
    nb = nbformat.read(release_path, as_version=4)
    unknown = set(answers)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell.metadata["nbgrader"].get("solution"):
            cell.source = answers[grade_id]
            unknown.discard(grade_id)
    if unknown:
        raise KeyError(f"{release_path.name}: no answer cells {sorted(unknown)}")
    return nb


@dataclass(frozen=True)
class CorpusEntry:
    """One answer for one graded function, a file grader/corpus/<kind>/<notebook>/<name>.py: a mutant
    (one realistic mistake, must lose points on its function), a variant (a different but correct
    implementation, must keep every point) or a do-nothing answer (ignores its inputs, must score 0 on
    every cell of its function)."""

    name: str
    notebook: str
    function: str       # the grade_id of the answer cell it replaces
    description: str    # the module docstring's first line
    source: str         # the answer cell's new source

    @classmethod
    def load(cls, path: Path) -> "CorpusEntry":
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        doc = ast.get_docstring(tree)
        defs = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        if not doc or len(defs) != 1:
            raise ValueError(f"{path}: expected a module docstring and exactly one function or class")
        body_start = tree.body[1].lineno - 1
        source = "".join(text.splitlines(keepends=True)[body_start:]).strip() + "\n"
        return cls(path.stem, path.parent.name, defs[0], doc.splitlines()[0], source)


def corpus(kind: str, notebook: str | None = None) -> list[CorpusEntry]:
    pattern = f"{notebook}/*.py" if notebook else "*/*.py"
    return [CorpusEntry.load(p) for p in sorted((CORPUS / kind).glob(pattern))]


def mutants(notebook: str | None = None) -> list[CorpusEntry]:
    return corpus("mutants", notebook)


def variants(notebook: str | None = None) -> list[CorpusEntry]:
    return corpus("variants", notebook)


def do_nothing(notebook: str | None = None) -> list[CorpusEntry]:
    """Answers that ignore their inputs (zeros, a constant, an echoed input, random numbers): each
    must score 0 on every cell of its function (DESIGN.md principle 10)."""
    return corpus("do_nothing", notebook)


def mutant(name: str) -> CorpusEntry:
    for m in mutants():
        if m.name == name:
            return m
    raise KeyError(name)


def write_submission(course_root: Path, student: str, assignment: str,
                     notebooks: dict[str, nbformat.NotebookNode]) -> Path:
    folder = course_root / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, nb in notebooks.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def build_submission(course_root: Path, assignment: str, notebook: str, *, solved: bool = True,
                     with_mutants: list[CorpusEntry] = ()) -> nbformat.NotebookNode:
    """The release of `notebook`, answered with the solutions (or left as stubs), then the mutants'
    functions swapped in."""
    release = course_root / "assignments" / assignment / f"{notebook}.ipynb"
    answers = solution_answers(course_root / "solutions" / assignment / f"{notebook}.ipynb") if solved else {}
    for m in with_mutants:
        if m.notebook != notebook:
            raise ValueError(f"mutant {m.name} belongs to {m.notebook}, not {notebook}")
        answers[m.function] = m.source
    return fill_answers(release, answers)
