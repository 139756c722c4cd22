"""The trusted side cannot be steered or exhausted by a submission: trusted functions lent to the
student's code and worker objects live only as long as their check, test cells are graded in the
instructor's order, and grading time and answer cells are bounded.

The trusted step runs in-process here, on a real gradebook (made by nbgrader's own SaveCells, as
`generate_assignment` makes it) and real grading workers, with small budgets so the tests stay fast."""

from __future__ import annotations

import copy
import os
import shutil
import sys
import time
from pathlib import Path

import nbformat
import pytest
import yaml
from traitlets.config import Config

from grader.preprocessors import trusted_grading
from grader.preprocessors.trusted_grading import TrustedGrading, cell_feedback
from grader.sandbox.proxies import active, answer_proxy
from grader.sandbox.session import Limits, OutOfTime, Session, StudentError, TimeLimit, WorkerFailure
from grader.submissions import fill_answers, solution_answers

REPO = Path(__file__).resolve().parents[1]
ASSIGNMENT, NOTEBOOK = "lecture3", "regularization"
SOURCE = REPO / "solutions" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
RELEASE = REPO / "assignments" / ASSIGNMENT / f"{NOTEBOOK}.ipynb"
ANSWERS = solution_answers(SOURCE)
L1_L2 = ("l1_regularization", "l2_regularization")


# -- the trusted step on one notebook -------------------------------------------------------------

def make_course(root: Path, **policy) -> Path:
    """A course folder: course.yaml with `policy` changed, the source notebook, and its gradebook."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import ComputeChecksums, SaveCells

    from grader.preprocessors.apply_course_points import ApplyCoursePoints

    root.mkdir(parents=True, exist_ok=True)
    data = yaml.safe_load((REPO / "course.yaml").read_text(encoding="utf-8"))
    data["policy"].update(policy)
    (root / "course.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (root / "solutions" / ASSIGNMENT).mkdir(parents=True, exist_ok=True)
    shutil.copy(SOURCE, root / "solutions" / ASSIGNMENT)
    nb = nbformat.read(SOURCE, as_version=4)
    resources = {"nbgrader": {"db_url": db_url(root), "assignment": ASSIGNMENT, "notebook": NOTEBOOK}}
    with _tools_on_path(), Gradebook(db_url(root)) as gradebook:   # nbgrader runs alembic
        gradebook.update_or_create_assignment(ASSIGNMENT)
    for step in (ApplyCoursePoints(course_file=str(root / "course.yaml")), ComputeChecksums(), SaveCells()):
        with _tools_on_path():
            nb, resources = step.preprocess(nb, resources)
    return root


def db_url(root: Path) -> str:
    return f"sqlite:///{root / 'gradebook.db'}"


class _tools_on_path:
    def __enter__(self):
        self.saved = os.environ.get("PATH", "")
        os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + self.saved

    def __exit__(self, *exc):
        os.environ["PATH"] = self.saved


def trusted_step(root: Path, nb, student: str = "student") -> tuple[dict[str, float], dict[str, str], float]:
    """Scores and feedback of every test cell, and the step's wall time, as `nbgrader autograde`'s
    TrustedGrading writes them."""
    config = Config({"CourseDirectory": {"root": str(root), "source_directory": "solutions"}})
    resources = {"nbgrader": {"db_url": db_url(root), "assignment": ASSIGNMENT, "notebook": NOTEBOOK,
                              "student": student}}
    saved = os.environ.get("GRADER_COURSE_FILE")
    os.environ["GRADER_COURSE_FILE"] = str(root / "course.yaml")
    try:
        with _tools_on_path():
            start = time.perf_counter()
            graded, _ = TrustedGrading(config=config).preprocess(copy.deepcopy(nb), resources)
            seconds = time.perf_counter() - start
    finally:
        if saved is None:
            os.environ.pop("GRADER_COURSE_FILE", None)
        else:
            os.environ["GRADER_COURSE_FILE"] = saved
    scores = {}
    for cell in graded.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "execute_result":
                scores[cell.metadata.nbgrader.grade_id] = float(out["data"]["text/plain"])
    return scores, cell_feedback(graded), seconds


def submission(**answers: str):
    """The release with the solution in every answer cell but those given."""
    return fill_answers(RELEASE, {**ANSWERS, **answers})


def stub(grade_id: str) -> str:
    return next(c.source for c in nbformat.read(RELEASE, as_version=4).cells
                if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def of(scores: dict[str, float], *answers: str) -> dict[str, float]:
    return {g: s for g, s in scores.items() if g.split("-")[0] in answers}


def other_than(scores: dict[str, float], *answers: str) -> dict[str, float]:
    return {g: s for g, s in scores.items() if g.split("-")[0] not in answers}


def graded_test_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")]


@pytest.fixture(scope="module", autouse=True)
def _alembic_asked_once():
    """nbgrader asks the alembic tool for the schema version each time it opens a gradebook (about
    a second): once is enough here."""
    import functools

    import nbgrader.api

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nbgrader.api, "get_alembic_version", functools.lru_cache(nbgrader.api.get_alembic_version))
        yield


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def honest(course):
    return trusted_step(course, submission())


def test_honest_work_keeps_full_marks_far_inside_the_budgets(course, honest):
    from grader.course import load_course

    scores, texts, seconds = honest
    points = {g: c.points for t in load_course(course / "course.yaml", check_notebooks=False).assignments[ASSIGNMENT]
              .notebooks[NOTEBOOK].tasks.values() for g, c in t.tests.items()}
    assert scores == points
    policy = load_course(REPO / "course.yaml", check_notebooks=False).policy
    assert seconds < policy.answer_budget_seconds / 3 and seconds < policy.notebook_budget_seconds / 10


# -- part 1: callbacks and references live only as long as their check ----------------------------

# l1 and l2 are stubs that call the trusted references the elastic-net check lends (it runs the
# student's elastic net with the references in place of their l1 and l2); the elastic net keeps them.
LEAKED = {
    "l2_regularization": "_lent = {}\ndef l2_regularization(W, reg):\n    return _lent['l2'](W, reg)\n",
    "l1_regularization": "def l1_regularization(W, reg):\n    return _lent['l1'](W, reg)\n",
    "elastic_net_regularization": ANSWERS["elastic_net_regularization"].replace(
        "    R1, dR1 = l1_regularization(W, reg)\n",
        "    _lent.setdefault('l1', l1_regularization)\n    _lent.setdefault('l2', l2_regularization)\n"
        "    R1, dR1 = l1_regularization(W, reg)\n"),
}


def reordering_attack():
    """LEAKED, with the elastic net's test cells moved ahead of every other test cell."""
    nb = submission(**LEAKED)
    net = [c for c in graded_test_cells(nb) if c.metadata.nbgrader.grade_id.startswith("elastic_net_regularization-")]
    first = nb.cells.index(graded_test_cells(nb)[0])
    rest = [c for c in nb.cells if c not in net]
    nb.cells = rest[:first] + net + rest[first:]
    return nb


def test_reordered_test_cells_earn_nothing_beyond_the_do_nothing_score(course):
    assert "_lent.setdefault" in LEAKED["elastic_net_regularization"]
    do_nothing, _, _ = trusted_step(course, submission(**{a: stub(a) for a in L1_L2}))
    attacked, texts, _ = trusted_step(course, reordering_attack())
    assert set(of(attacked, *L1_L2).values()) == {0.0}
    assert attacked == do_nothing


def test_a_lent_reference_fails_after_its_check_whatever_the_order(course, monkeypatch):
    # Even graded in the submitted order, the references the elastic-net checks lent are dead by
    # the time the l1 and l2 checks run.
    def submitted_order(self, info, course, tests):
        return [c.metadata.nbgrader.grade_id for c in graded_test_cells(nb)]

    nb = reordering_attack()
    monkeypatch.setattr(TrustedGrading, "instructor_order", submitted_order)
    scores, texts, _ = trusted_step(course, nb)
    assert set(of(scores, *L1_L2).values()) == {0.0}
    assert "earlier check" in texts["l2_regularization-values"]
    assert set(of(scores, "elastic_net_regularization").values()) == {2.0, 1.0}


STUDENT = '''
import time
_kept = {}
def keep(f, x):
    _kept["f"] = f
    return f(x)
def call_kept(x):
    return _kept["f"](x)
def helper(x):
    return x
def keep_helper():
    _kept["f"] = helper
    return helper(1)
def keep_object(obj):
    _kept["obj"] = obj
    return obj.run()
def run_kept():
    return _kept["obj"].run()
class Model:
    def step(self):
        return 1
    def run(self):
        return self.step()
def sleepy(seconds):
    time.sleep(seconds)
    return seconds
'''


@pytest.fixture(scope="module")
def session():
    with Session([("answer cell", STUDENT)], limits=Limits(timeout_seconds=5)) as s, active(s):
        yield s


def test_a_callback_works_during_its_check_and_fails_after_it(session):
    with session.check_scope():
        assert answer_proxy(session, "keep")(lambda v: v + 1, 1.0) == 2.0
        assert answer_proxy(session, "call_kept")(2.0) == 3.0        # the same check: still lent
    with session.check_scope():
        with pytest.raises(StudentError, match="earlier check") as info:
            answer_proxy(session, "call_kept")(2.0)
        assert info.value.type_name == "CallbackFailed"
        assert answer_proxy(session, "keep")(lambda v: v * 10, 1.0) == 10.0   # a check's own callbacks work


def test_patched_names_and_overridden_methods_expire_with_their_check(session):
    with session.check_scope():
        keep_helper = answer_proxy(session, "keep_helper")
        with keep_helper.patched_globals({"helper": lambda x: 100}):
            assert keep_helper() == 100
        Model = answer_proxy(session, "Model")

        class Recorded(Model):
            def step(self):
                return 7

        assert answer_proxy(session, "keep_object")(Recorded()) == 7
    with session.check_scope():
        for name, args in (("call_kept", (1,)), ("run_kept", ())):
            with pytest.raises(StudentError, match="earlier check"):
                answer_proxy(session, name)(*args)


def test_references_from_an_earlier_check_are_not_reused(session):
    with session.check_scope():
        helper = answer_proxy(session, "helper")
        Model = answer_proxy(session, "Model")
        model = Model()
        assert model.run() == 1
    with session.check_scope():
        assert helper(5) == 5                      # a top-level answer is looked up again
        for use in (lambda: model.run(), Model, lambda: answer_proxy(session, "keep_object")(model)):
            with pytest.raises(WorkerFailure, match="earlier check"):
                use()


# -- part 3: bounded time ---------------------------------------------------------------------------

def test_a_time_limit_stops_an_answer_and_says_why(session):
    sleepy = answer_proxy(session, "sleepy")
    session.time_limit = TimeLimit(time.monotonic() + 1.2, "for this test (1.2 s)")
    try:
        start = time.monotonic()
        with pytest.raises(OutOfTime) as info:
            for _ in range(10):
                sleepy(0.3)
        assert time.monotonic() - start < 2.5
        assert str(info.value).startswith("grading time for this test (1.2 s) ran out while checking `sleepy`: "
                                          "each call took about 0.3 s")
        with pytest.raises(OutOfTime):
            sleepy(0.0)                               # failed at once from now on
    finally:
        session.time_limit = None
    assert answer_proxy(session, "helper")(3) == 3    # other answers still run


SLEEPY_L2 = ANSWERS["l2_regularization"].replace("    R = reg * np.sum(W * W)\n",
                                                 "    import time\n    time.sleep(0.5)\n    R = reg * np.sum(W * W)\n")
SLEEPY_L1 = ANSWERS["l1_regularization"].replace("    R = reg * np.sum(np.abs(W))\n",
                                                 "    import time\n    time.sleep(0.5)\n"
                                                 "    R = reg * np.sum(np.abs(W))\n")


def test_an_answer_that_uses_up_its_budget_loses_its_remaining_cells_only(tmp_path, honest):
    assert "sleep" in SLEEPY_L2
    root = make_course(tmp_path, answer_budget_seconds=2, notebook_budget_seconds=60)
    scores, texts, seconds = trusted_step(root, submission(l2_regularization=SLEEPY_L2))
    assert other_than(scores, "l2_regularization") == other_than(honest[0], "l2_regularization")
    assert sum(of(scores, "l2_regularization").values()) < sum(of(honest[0], "l2_regularization").values())
    assert scores["l2_regularization-properties"] == 0.0
    assert ("grading time for `l2_regularization` (2 s per answer) ran out while checking `l2_regularization`: "
            "each call took about 0.5 s") in texts["l2_regularization-properties"]
    assert seconds < 2 + 4 * honest[2] + 3


def test_once_the_notebook_budget_is_gone_the_remaining_cells_score_zero(tmp_path, honest):
    root = make_course(tmp_path, answer_budget_seconds=2, notebook_budget_seconds=3)
    scores, texts, seconds = trusted_step(root, submission(l2_regularization=SLEEPY_L2, l1_regularization=SLEEPY_L1))
    assert scores["l1_regularization-properties"] == 0.0
    assert "grading time for this notebook (3 s) ran out while checking `l1_regularization`" in \
        texts["l1_regularization-properties"]
    rest = other_than(scores, *L1_L2)
    assert rest and set(rest.values()) == {0.0}
    assert all("not graded: grading time for this notebook (3 s) ran out" in texts[g] for g in rest)
    assert seconds < 3 + 3


def test_the_student_budget_spans_the_notebooks(course, honest, monkeypatch):
    spent = {("early", ASSIGNMENT): 0.0, ("late", ASSIGNMENT): 400.0}
    monkeypatch.setattr(trusted_grading, "_SPENT_BY_STUDENT", spent)
    scores, _, seconds = trusted_step(course, submission(), student="early")
    assert scores == honest[0]
    assert 0 < spent[("early", ASSIGNMENT)] <= seconds
    scores, texts, _ = trusted_step(course, submission(), student="late")
    assert set(scores.values()) == {0.0}
    assert "grading time for your submission (400 s for all notebooks of lecture3) ran out" in \
        texts["l2_regularization-values"]


def test_an_oversized_answer_cell_is_not_loaded_and_the_cap_is_named(tmp_path, honest):
    root = make_course(tmp_path, max_answer_cell_bytes=2000)
    padded = ANSWERS["l2_regularization"] + "# " + "x" * 3000 + "\n"
    scores, texts, _ = trusted_step(root, submission(l2_regularization=padded))
    assert set(of(scores, "l2_regularization").values()) == {0.0}
    assert other_than(scores, "l2_regularization") == other_than(honest[0], "l2_regularization")
    size = len(padded.encode())
    assert (f"{size:,} bytes, over the limit of 2,000 bytes per answer cell: the cell was not loaded"
            in texts["l2_regularization-values"])



def test_trusted_grading_reads_the_course_file_it_is_configured_with(tmp_path, monkeypatch):
    from traitlets.config import Config

    from grader.grading import COURSE_ENV
    from grader.preprocessors import TrustedGrading

    copy = tmp_path / "course.yaml"
    shutil.copy(Path(__file__).resolve().parents[1] / "course.yaml", copy)
    copy.write_text(copy.read_text().replace("seed: 231", "seed: 7"))
    monkeypatch.setenv(COURSE_ENV, str(tmp_path / "elsewhere.yaml"))   # the traitlet wins over the environment
    config = Config()
    config.TrustedGrading.course_file = str(copy)
    assert TrustedGrading(config=config).course().policy.seed == 7
