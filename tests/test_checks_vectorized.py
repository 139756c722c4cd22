"""The check that `*_vectorized` answers are vectorized, read from the answer's code.

Every case runs on both paths the check reads code from: in-process (a plain function whose cell
source is in linecache, as in the student's kernel) and the trusted step's (a stand-in whose code is
the answer cells as text, as during `nbgrader autograde`): both are `Answer`s, the interface every
check receives. One test goes through a real grading worker.
"""

from __future__ import annotations

import linecache
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

from grader.answers import Answer, LocalAnswer
from grader.checks import get_check
from grader.course import load_course
from grader.grading import run_check
from grader.outcome import CheckContext
from grader.sandbox.proxies import active, answer_proxy
from grader.sandbox.session import Limits, Session
from grader.submissions import SOLUTION_MARKERS, mutants, variants

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yaml", check_notebooks=False)
CTX = CheckContext(COURSE.policy)
SOLUTION = {cell.metadata["nbgrader"]["grade_id"]: SOLUTION_MARKERS.sub("", cell.source)
            for cell in nbformat.read(REPO / "solutions" / "lecture3" / "losses.ipynb", as_version=4).cells
            if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")}
VECTORIZED = ("svm_loss_vectorized", "softmax_loss_vectorized")
CHECK_OF = {"svm_loss_vectorized": "svm_vectorized", "softmax_loss_vectorized": "softmax_vectorized"}


# -- the two paths -------------------------------------------------------------------------------

def notebook_cells(**answers: str) -> list[tuple[str, str]]:
    """The losses notebook's answer cells, (label, source) in notebook order: the solution's, with the
    given answers in place (a name the notebook has no cell for becomes an extra cell at the end)."""
    merged = {**SOLUTION, **{k: textwrap.dedent(v) for k, v in answers.items()}}
    return [(f"answer cell {gid}", source) for gid, source in merged.items()]


def in_process(cells: list[tuple[str, str]], name: str):
    """`name` as the student's kernel holds it: every cell run in one namespace, its source kept in
    linecache under the cell's own file name (as IPython does), so line numbers count within a cell."""
    ns: dict = {"__name__": "__main__"}
    exec("import numpy as np", ns)
    for i, (_label, source) in enumerate(cells):
        filename = f"<test cell {id(cells)}-{i}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), ns)
    return ns[name]


class CellsStandIn(Answer):
    """An answer whose code comes from the answer cells' text, as during autograde, without a worker."""

    def __init__(self, cells: list[tuple[str, str]], name: str):
        self.cells, self.name = cells, name

    def read_code(self, reader):
        return reader.from_cells(self.name, list(self.cells))

    def __call__(self, *args):
        raise AssertionError("the check must read the code, not call it")

    def patched_globals(self, references):
        raise AssertionError("the check must read the code, not run it")

    def seed_random(self, seed):
        raise AssertionError("the check must read the code, not run it")


PATHS = {"in-process": lambda cells, name: LocalAnswer(in_process(cells, name)), "trusted cells": CellsStandIn}


def verdict(path: str, name: str, **answers: str):
    """The vectorization criterion's result for `name`, with the given answer cells."""
    answer = PATHS[path](notebook_cells(**answers), name)
    results = list(get_check(CHECK_OF[name])(answer, CTX))
    assert len(results) == 1
    return results[0]


both_paths = pytest.mark.parametrize("path", PATHS)

# -- what fails, with its line -------------------------------------------------------------------

HEAD = "def svm_loss_vectorized(W, X, y, reg):\n    num_train = X.shape[0]\n    scores = X.dot(W)\n"
TAIL = "    return 0.0, np.zeros_like(W)\n"
LOOPS = {
    "for over range(N)": ("    for i in range(num_train):\n        scores[i] -= scores[i, y[i]]\n",
                          "line 4: `for i in range(num_train):` loops over the examples in Python"),
    "for over rows": ("    for row in scores:\n        row -= row.max()\n",
                      "line 4: `for row in scores:` loops over the examples in Python"),
    "for over classes": ("    for j in range(W.shape[1]):\n        scores[:, j] += 1\n",
                         "line 4: `for j in range(W.shape[1]):` loops over the classes in Python"),
    "for over zip": ("    for x, label in zip(X, y):\n        pass\n",
                     "line 4: `for x, label in zip(X, y):` loops over the examples"),
    "while": ("    i = 0\n    while i < num_train:\n        i += 1\n",
              "line 5: `while i < num_train:` is a loop in Python"),
    "list comprehension": ("    losses = [scores[i, y[i]] for i in range(num_train)]\n",
                           "line 4: `losses = [scores[i, y[i]] for i in range(num_train)]` has a comprehension"),
    "generator in sum": ("    total = sum(s.max() for s in scores)\n",
                         "line 4: `total = sum(s.max() for s in scores)` has a comprehension"),
    "dict comprehension": ("    per_class = {c: scores[:, c] for c in range(scores.shape[1])}\n", "line 4:"),
    "map over rows": ("    maxima = list(map(np.max, scores))\n",
                      "line 4: `maxima = list(map(np.max, scores))`: `map` calls"),
    "np.vectorize": ("    f = np.vectorize(lambda s: max(0.0, s))\n    m = f(scores)\n",
                     "line 4: `f = np.vectorize(lambda s: max(0.0, s))`"),
    "np.apply_along_axis": ("    m = np.apply_along_axis(np.max, 1, scores)\n",
                            "`np.apply_along_axis` calls a Python function once per row"),
    "functools.reduce": ("    import functools\n    s = functools.reduce(lambda a, b: a + b, scores)\n", "line 5:"),
    "exec": ("    exec('pass')\n", "line 4: `exec('pass')`: `exec` hides what runs"),
}


@both_paths
@pytest.mark.parametrize("form", LOOPS)
def test_every_loop_form_fails_and_names_its_line(path, form):
    body, named = LOOPS[form]
    result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized=HEAD + body + TAIL)
    assert not result.passed
    assert named in result.got, result.got
    assert "array operations on whole matrices" in result.cause


NAIVE_USES = {
    "calls it": ("def svm_loss_vectorized(W, X, y, reg):\n    return svm_loss_naive(W, X, y, reg)\n",
                 "line 2: `return svm_loss_naive(W, X, y, reg)` uses `svm_loss_naive`, the naive version"),
    "passes it on": ("def svm_loss_vectorized(W, X, y, reg):\n    f = svm_loss_naive\n    return f(W, X, y, reg)\n",
                     "line 2: `f = svm_loss_naive` uses `svm_loss_naive`"),
    "calls the other naive loss": ("def svm_loss_vectorized(W, X, y, reg):\n"
                                   "    return softmax_loss_naive(W, X, y, reg)\n",
                                   "uses `softmax_loss_naive`, the naive version"),
}


@both_paths
@pytest.mark.parametrize("form", NAIVE_USES)
def test_using_the_naive_version_fails(path, form):
    source, named = NAIVE_USES[form]
    result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized=source)
    assert not result.passed and named in result.got, result.got


@both_paths
def test_an_answer_that_is_the_naive_version_fails(path):
    result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized="svm_loss_vectorized = svm_loss_naive\n")
    assert not result.passed and "`svm_loss_naive`, the naive version" in result.got, result.got


LOOPING_HELPER = """
def per_example_margins(scores, y):
    out = np.zeros_like(scores)
    for i in range(len(y)):
        out[i] = np.maximum(0, scores[i] - scores[i, y[i]] + 1)
    return out
"""


@both_paths
def test_a_helper_in_another_answer_cell_is_followed(path):
    answer = ("def svm_loss_vectorized(W, X, y, reg):\n    scores = X.dot(W)\n"
              "    m = per_example_margins(scores, y)\n" + TAIL)
    result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized=answer, my_helpers=LOOPING_HELPER)
    assert not result.passed
    assert ("line 3: `m = per_example_margins(scores, y)` uses your `per_example_margins`, whose "
            "line 4: `for i in range(len(y)):` loops over the examples in Python") in result.got, result.got


@both_paths
def test_helpers_of_helpers_nested_helpers_and_recursion_are_followed(path):
    deep = "def outer_helper(s, y):\n    return LOOPING(s, y)\n".replace("LOOPING", "per_example_margins")
    answer = "def svm_loss_vectorized(W, X, y, reg):\n    return outer_helper(X.dot(W), y).sum(), W\n"
    result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized=answer, a=LOOPING_HELPER, b=deep)
    assert not result.passed and "whose line 2: `return per_example_margins(s, y)` uses your" in result.got

    nested = ("def svm_loss_vectorized(W, X, y, reg):\n    def row_loss(i):\n"
              "        return [i for i in range(3)]\n    return row_loss(0), W\n")
    result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized=nested)
    assert result.passed, "a comprehension over a fixed range(3) is no loop over the data"
    nested = nested.replace("range(3)", "range(len(X))")
    assert not verdict(path, "svm_loss_vectorized", svm_loss_vectorized=nested).passed

    recursive = "def total(rows):\n    return 0.0 if len(rows) == 0 else rows[0].sum() + total(rows[1:])\n"
    answer = "def svm_loss_vectorized(W, X, y, reg):\n    return total(X.dot(W)), W\n"
    result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized=answer, recursion=recursive)
    assert not result.passed and "(recursion)" in result.got, result.got


# -- what passes ---------------------------------------------------------------------------------

FIXED_LOOPS = """
def svm_loss_vectorized(W, X, y, reg):
    for name, array in (("W", W), ("X", X)):
        assert array.ndim == 2, name
    for _ in range(2):
        pass
    n = X.shape[0]
    scores = X.dot(W)
    margins = np.maximum(0, scores - scores[np.arange(n), y][:, None] + 1)
    margins[np.arange(n), y] = 0
    coeffs = (margins > 0).astype(float)
    coeffs[np.arange(n), y] = -coeffs.sum(axis=1)
    return margins.sum() / n + reg * np.sum(W * W), X.T.dot(coeffs) / n + 2 * reg * W
"""

SCIPY_AND_OWN_SOFTMAX = """
from scipy.special import logsumexp

def softmax_loss_vectorized(W, X, y, reg):
    n = X.shape[0]
    scores = X.dot(W)
    probs = softmax(scores)
    loss = np.mean(logsumexp(scores, axis=1) - scores[np.arange(n), y]) + reg * np.sum(W * W)
    probs[np.arange(n), y] -= 1
    return loss, X.T.dot(probs) / n + 2 * reg * W
"""


@both_paths
@pytest.mark.parametrize("name", VECTORIZED)
def test_the_solution_passes(path, name):
    assert verdict(path, name).passed


@both_paths
def test_fixed_loops_library_functions_and_own_vectorized_helpers_pass(path):
    assert verdict(path, "svm_loss_vectorized", svm_loss_vectorized=FIXED_LOOPS).passed
    # scipy's logsumexp is not the student's code; the student's own softmax is read and is loop-free.
    assert verdict(path, "softmax_loss_vectorized", softmax_loss_vectorized=SCIPY_AND_OWN_SOFTMAX).passed


@both_paths
def test_a_looping_softmax_of_the_students_own_costs_the_vectorized_loss(path):
    looping_softmax = ("def softmax(scores):\n    return np.array([np.exp(r - r.max()) / np.exp(r - r.max()).sum() "
                       "for r in scores])\n")
    result = verdict(path, "softmax_loss_vectorized", softmax=looping_softmax,
                     softmax_loss_vectorized=SCIPY_AND_OWN_SOFTMAX)
    assert not result.passed and "uses your `softmax`, whose line 2:" in result.got, result.got


@both_paths
def test_a_constant_of_the_answer_cell_passes_and_a_partial_of_the_naive_version_fails(path):
    answer = FIXED_LOOPS.replace("+ 1)", "+ DELTA)")
    assert verdict(path, "svm_loss_vectorized", svm_loss_vectorized="DELTA = 1.0\n" + answer).passed
    if path == "trusted cells":   # in the kernel a partial object is not read; autograding reads the cells
        partial = ("import functools\nfast = functools.partial(svm_loss_naive)\n"
                   "def svm_loss_vectorized(W, X, y, reg):\n    return fast(W, X, y, reg)\n")
        result = verdict(path, "svm_loss_vectorized", svm_loss_vectorized=partial)
        assert not result.passed and "uses your `fast`, whose line 2:" in result.got, result.got
        assert "`svm_loss_naive`, the naive version" in result.got


def test_trusted_path_fails_an_answer_it_cannot_read_in_process_path_defers():
    hidden = "svm_loss_vectorized = (lambda f: f)(svm_loss_naive)\n"
    result = verdict("trusted cells", "svm_loss_vectorized", svm_loss_vectorized=hidden)
    assert not result.passed and "define it with `def svm_loss_vectorized(...):`" in result.got, result.got
    missing = CellsStandIn(notebook_cells(svm_loss_vectorized="pass\n"), "svm_loss_vectorized")
    assert "no `def svm_loss_vectorized(...):`" in list(get_check("svm_vectorized")(missing, CTX))[0].got

    # Code compiled from a string nobody kept has no source in this process: not judged here (the
    # trusted step reads the submitted cells themselves).
    ns = {"np": np}
    exec(compile(HEAD + LOOPS["for over rows"][0] + TAIL, "<never kept>", "exec"), ns)
    result = list(get_check("svm_vectorized")(ns["svm_loss_vectorized"], CTX))[0]
    assert result.passed and "not checked here" in result.checked


# -- the cells, graded as the course grades them -----------------------------------------------------

def _corpus(kind, name):
    return next(e for e in kind("losses") if e.name == name)


@pytest.mark.parametrize("grade_id", [f"{n}-vectorized" for n in VECTORIZED])
def test_a_do_nothing_answer_scores_zero(grade_id):
    def zeros(W, X, y, reg):
        return 0.0, np.zeros_like(W)
    outcome, _, _ = run_check(COURSE, grade_id, zeros)
    assert outcome.gated and outcome.score == 0, outcome.report()


def test_feedback_names_the_line_and_what_to_do_instead():
    entry = _corpus(mutants, "svm_vectorized_loops_over_examples")
    answer = in_process(notebook_cells(svm_loss_vectorized=entry.source), "svm_loss_vectorized")
    outcome, _, _ = run_check(COURSE, "svm_loss_vectorized-vectorized", answer)
    report = outcome.report()
    assert outcome.score == 0 and not outcome.gated, report
    assert "line 8: `for i in range(num_train):` loops over the examples in Python" in report
    assert "likely cause: vectorized code uses array operations on whole matrices" in report


def test_through_a_real_grading_worker_the_code_comes_from_the_trusted_cells():
    looping = _corpus(mutants, "softmax_vectorized_loops_over_examples").source
    cells = notebook_cells(softmax_loss_vectorized=looping)
    with Session([("provided cell setup", "import numpy as np"), *cells], limits=Limits(timeout_seconds=5)) as s, \
            active(s):
        answer = answer_proxy(s, "softmax_loss_vectorized")
        name, seen = answer.answer_source()
        assert name == "softmax_loss_vectorized" and seen == cells   # answer cells only, as sent
        outcome, _, _ = run_check(COURSE, "softmax_loss_vectorized-vectorized", answer)
        assert outcome.basic.passed and outcome.score == 0, outcome.report()
        assert "line 8: `for i in range(num_train):`" in outcome.report()
        good = answer_proxy(s, "softmax_loss_naive")   # any answer: its own definition is read
        assert not list(get_check("softmax_vectorized")(good, CTX))[0].passed


# -- the table test_check_coverage reads ----------------------------------------------------------

def _answer(kind, name):
    entry = _corpus(kind, name)
    return in_process(notebook_cells(**{entry.function: entry.source}), entry.function)


def _solution(name):
    return in_process(notebook_cells(), name)


CHECK_TABLE = {
    "svm_vectorized": (
        [_solution("svm_loss_vectorized"), _answer(variants, "svm_vectorized_nested_helpers_take_along_axis"),
         _answer(variants, "svm_vectorized_lambda_helper_shape_checks")],
        [_answer(mutants, "svm_vectorized_loops_over_examples"), _answer(mutants, "svm_vectorized_calls_naive")],
    ),
    "softmax_vectorized": (
        [_solution("softmax_loss_vectorized"), _answer(variants, "softmax_vectorized_own_softmax"),
         _answer(variants, "softmax_vectorized_logsumexp_add_at")],
        [_answer(mutants, "softmax_vectorized_loops_over_classes"), _answer(mutants, "softmax_vectorized_calls_naive")],
    ),
}


@pytest.mark.parametrize("check", CHECK_TABLE)
def test_check_table_correct_answers_keep_every_point_and_wrong_ones_lose(check):
    grade_id = {"svm_vectorized": "svm_loss_vectorized-vectorized",
                "softmax_vectorized": "softmax_loss_vectorized-vectorized"}[check]
    correct, wrong = CHECK_TABLE[check]
    for fn in correct:
        outcome, printed, warned = run_check(COURSE, grade_id, fn)
        assert outcome.fraction == 1.0 and printed == "" and warned == [], outcome.report()
    for fn in wrong:
        outcome, _, _ = run_check(COURSE, grade_id, fn)
        assert outcome.basic.passed and outcome.score == 0, outcome.report()
