"""Every module the kernel offers, the worker offers: an answer that imports something installed in
the grading environment gets the same result in the grading worker as in-process, and an import the
worker cannot satisfy is named in the feedback instead of costing a silent zero."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader.preprocessors.trusted_grading import worker_cells
from grader.sandbox.proxies import active, answer_proxy
from grader.sandbox.session import Limits, Session, import_plan
from grader.sandbox.worker import not_provided

REPO = Path(__file__).resolve().parents[1]

# Modules the old fixed preload list never had, imported the ways students write them.
ANSWER = '''
import scipy.stats
from past.builtins import xrange
import scipy as sp
from scipy import optimize

def tail(x):
    return scipy.stats.norm.sf(x)

def total(n):
    return sum(i for i in xrange(n))

def spread(x):
    return sp.stats.iqr(x)

def minimum():
    return float(optimize.minimize_scalar(lambda t: (t - 3.0) ** 2).x)

def later(x):
    from scipy import integrate
    import fractions
    return integrate.trapezoid(x) + float(fractions.Fraction(1, 4))

def entropy(p):
    import importlib
    return importlib.import_module("scipy.special").entr(p).sum()
'''

CALLS = [("tail", (np.array([0.0, 1.5, 3.0]),)), ("total", (10,)), ("spread", (np.arange(10.0),)),
         ("minimum", ()), ("later", (np.array([1.0, 2.0, 4.0]),)), ("entropy", (np.array([0.25, 0.75]),))]


@pytest.fixture(scope="module")
def in_process():
    namespace = {"__name__": "__main__"}
    exec(compile(ANSWER, "<answer cell>", "exec"), namespace)  # noqa: S102 - the test's own answer
    return namespace


@pytest.fixture(scope="module")
def session():
    with Session([("answer cell tail", ANSWER)], limits=Limits(timeout_seconds=20)) as s, active(s):
        yield s


@pytest.mark.parametrize("name,args", CALLS, ids=[c[0] for c in CALLS])
def test_installed_modules_give_the_same_result_in_the_worker_as_in_process(session, in_process, name, args):
    assert session.load_errors == []
    expected = in_process[name](*args)
    got = answer_proxy(session, name)(*args)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))


def test_the_plan_names_every_import_and_the_submodules_reached_through_attributes():
    plan = import_plan([("answer cell tail", ANSWER)])
    assert {"scipy.stats", "past.builtins", "scipy", "fractions", "importlib"} <= set(plan.modules)
    assert {"scipy.optimize", "scipy.integrate", "scipy.stats.norm.sf", "scipy.stats.iqr",
            "scipy.special"} <= set(plan.names)
    assert plan.bindings["xrange"] == "past.builtins" and plan.bindings["sp"] == "scipy"


MISSING = '''
def uses_missing(x):
    import no_such_module_for_grading
    return x

def uses_missing_name(x):
    return helper_from_missing(x)
'''


def test_an_import_that_cannot_be_satisfied_is_named_in_words():
    cells = [("provided cell setup", "from no_such_package_either import helper_from_missing"),
             ("answer cell uses_missing", MISSING),
             ("answer cell broken", "import no_such_module_at_the_top\ndef broken(x):\n    return x\n")]
    with Session(cells, limits=Limits(timeout_seconds=5)) as s, active(s):
        with pytest.raises(ModuleNotFoundError, match=not_provided("no_such_module_for_grading")):
            answer_proxy(s, "uses_missing")(1)
        with pytest.raises(NameError) as info:
            answer_proxy(s, "uses_missing_name")(1)
        assert str(info.value) == (not_provided("no_such_package_either")
                                   + " (name 'helper_from_missing' is not defined)")
        assert ("answer cell broken",
                "ModuleNotFoundError: " + not_provided("no_such_module_at_the_top")) in s.load_errors
        assert "no_such_module_at_the_top" in s.applied["unavailable"]


def test_the_feedback_of_a_cell_says_which_import_grading_does_not_provide():
    """Through the checks, as the trusted step grades it: the message reaches the student's feedback."""
    from grader.course import load_course
    from grader.grading import feedback_text, run_check

    course = load_course(REPO / "course.yaml", check_notebooks=False)

    answer = ("def multiclass_hinge_loss(scores, y):\n    import not_installed_anywhere\n"
              "    return not_installed_anywhere.hinge(scores, y)\n")
    with Session([("answer cell multiclass_hinge_loss", answer)]) as s, active(s):
        outcome, _, _ = run_check(course, "multiclass_hinge_loss-values",
                                  answer_proxy(s, "multiclass_hinge_loss"))
        text = feedback_text(outcome, s.printed(), s.warnings())
    assert outcome.score == 0.0
    assert not_provided("not_installed_anywhere") in text, text


def test_cells_as_the_trusted_step_builds_them_load_the_provided_imports_the_answers_use():
    from types import SimpleNamespace

    import nbformat

    nb = nbformat.v4.new_notebook()
    def cell(grade_id, source):
        c = nbformat.v4.new_code_cell(source)
        c.metadata["nbgrader"] = {"grade_id": grade_id}
        return c
    nb.cells = [cell("setup", "from past.builtins import xrange\nimport numpy as np\nrun_something()"),
                cell("count", "def count(n):\n    return len([i for i in xrange(n)])\n")]
    source_cells = {"setup": SimpleNamespace(locked=True, cell_type="code", source=nb.cells[0].source)}
    with Session(worker_cells(nb, source_cells, {"count"}, set())) as s, active(s):
        assert answer_proxy(s, "count")(7) == 7


# numpy functions that import a numpy submodule on their first call, which the answer's code never
# names (so its import plan does not load it): the locked-down worker cannot import it then, so it must
# have been loaded before.
NUMPY_INSIDE = '''
import numpy as np

def classes(y):
    return len(np.unique(y))

def middle(x):
    return float(np.nanmedian(x))

def more(x):
    rng = np.random.default_rng(0)
    return [float(np.linalg.norm(x)), float(np.abs(np.fft.fft(x))[0]), int(rng.integers(0, 10)),
            np.lib.stride_tricks.sliding_window_view(x, 2).shape[0],
            round(float(np.polyfit([0, 1, 2], [1, 3, 5], 1)[0]), 6)]
'''


def test_numpy_functions_that_load_submodules_on_first_use_work_in_the_worker():
    x = np.array([1.0, np.nan, 3.0, 4.0])
    with Session([("answer cell", NUMPY_INSIDE)], limits=Limits(timeout_seconds=10)) as s, active(s):
        assert answer_proxy(s, "classes")(np.array([2, 0, 2, 1])) == 3
        assert answer_proxy(s, "middle")(x) == 3.0
        assert answer_proxy(s, "more")(np.array([3.0, 4.0]))[:2] == [5.0, 7.0]
