"""The `Answer` interface: a function of this process (`LocalAnswer`) and the stand-in for a function in
the grading worker (`RemoteFunction`) behave alike, so the checks never need to know which they have.

The last tests grade the same answers both ways, one check per part of the interface (calling,
`patched_globals`, `read_code`, `seed_random`, and a class's seeding in the worker), and expect the
same scores and the same feedback word for word.
"""

from __future__ import annotations

import numpy as np
import pytest

from corpus_in_process import COURSE, function_cells, namespace_with
from corpus_through_worker import entry_worker_cells
from grader.answers import Answer, LocalAnswer, RunsStudentCode, as_answer, seed_random
from grader.grading import run_check
from grader.sandbox.proxies import ANSWER_CELL_LABEL, RemoteFunction, active, answer_proxy
from grader.sandbox.session import Limits, Session
from grader.submissions import mutant, variants


HELPER = 10


def uses_helper(x):
    return HELPER + x


class Reader:
    @staticmethod
    def from_cells(name, cells):
        return ("cells", name, cells)

    @staticmethod
    def from_function(fn):
        return ("function", fn)


# -- LocalAnswer --------------------------------------------------------------------------------

def test_local_answer_calls_the_function_and_keeps_its_name_and_repr():
    answer = LocalAnswer(uses_helper)
    assert isinstance(answer, Answer) and answer(1) == 11
    assert answer.__name__ == "uses_helper" and repr(answer) == repr(uses_helper)


def test_local_answer_patches_its_namespace_and_restores_it():
    answer = LocalAnswer(uses_helper)
    with answer.patched_globals({"HELPER": 100, "added": 1}):
        assert answer(1) == 101 and globals()["added"] == 1
    assert answer(1) == 11 and "added" not in globals()


def test_local_answer_restores_its_namespace_when_the_call_fails():
    answer = LocalAnswer(uses_helper)
    with pytest.raises(TypeError), answer.patched_globals({"HELPER": 100}):
        answer(None)
    assert HELPER == 10


def test_a_callable_without_a_namespace_patches_nothing():
    answer = LocalAnswer(np.sum)
    with answer.patched_globals({"HELPER": 100}):
        assert answer([1, 2]) == 3
    assert HELPER == 10


def test_local_answer_hands_its_function_to_the_reader():
    assert LocalAnswer(uses_helper).read_code(Reader) == ("function", uses_helper)


def test_local_answer_seeds_this_process():
    LocalAnswer(uses_helper).seed_random(5)
    first = np.random.rand()
    seed_random(LocalAnswer(uses_helper), 5)
    assert np.random.rand() == first


def test_as_answer_wraps_functions_only():
    wrapped = as_answer(uses_helper)
    assert isinstance(wrapped, LocalAnswer) and wrapped.function is uses_helper
    assert as_answer(wrapped) is wrapped
    for value in (3, 0.5, "a", None, (uses_helper, 1), int, LocalAnswer):
        assert as_answer(value) is value


def test_values_with_no_code_of_their_own_seed_nothing():
    np.random.seed(3)
    for value in (3, None, (1, 2), int):
        seed_random(value, 7)
    assert not isinstance(int, RunsStudentCode)
    np.random.seed(3)
    expected = np.random.rand()
    np.random.seed(3)
    for value in (3, None, (1, 2), int):
        seed_random(value, 7)
    assert np.random.rand() == expected


# -- RemoteFunction: the same interface ---------------------------------------------------------

CELLS = [("provided cell setup", "import numpy as np\nHELPER = 10"),
         (f"{ANSWER_CELL_LABEL} uses_helper", "def uses_helper(x):\n    return HELPER + x\n"),
         (f"{ANSWER_CELL_LABEL} draw", "def draw():\n    return float(np.random.rand())\n")]


def test_the_worker_stand_in_implements_the_same_interface():
    with Session(CELLS, limits=Limits(timeout_seconds=5)) as session, active(session):
        answer = answer_proxy(session, "uses_helper")
        assert isinstance(answer, RemoteFunction) and isinstance(answer, Answer)
        assert as_answer(answer) is answer and answer(1) == 11
        with answer.patched_globals({"HELPER": lambda: None}), pytest.raises(TypeError):
            answer(1)   # HELPER is the grader's function while inside
        assert answer(1) == 11
        assert answer.read_code(Reader) == ("cells", "uses_helper", CELLS[1:])   # answer cells only
        draw = answer_proxy(session, "draw")
        draw.seed_random(4)
        first = draw()
        seed_random(answer, 4)   # any answer of the session: they share the worker
        assert draw() == first


# -- the same grades through both ----------------------------------------------------------------

def _grades_in_process(entry) -> dict[str, tuple[float, str]]:
    answer = namespace_with(entry)[entry.function]
    return {gid: _score_and_report(run_check(COURSE, gid, answer)) for gid in function_cells(entry.notebook,
                                                                                               entry.function)}


def _grades_in_the_worker(entry) -> dict[str, tuple[float, str]]:
    grades = {}
    with Session(entry_worker_cells(entry), limits=Limits(timeout_seconds=10)) as session, active(session):
        for gid in function_cells(entry.notebook, entry.function):
            with session.check_scope():
                grades[gid] = _score_and_report(run_check(COURSE, gid, answer_proxy(session, entry.function)))
    return grades


def _score_and_report(result) -> tuple[float, str]:
    outcome, _, _ = result
    return outcome.score, outcome.report()


def _variant(name: str):
    return next(v for v in variants() if v.name == name)


# A correct and a wrong answer for each part of the interface a check uses.
SAME_GRADES = {
    "calls and read_code": ("svm_vectorized_nested_helpers_take_along_axis", "svm_vectorized_loops_over_examples"),
    "patched_globals": ("elastic_net_calls_helpers_unpacked", "elastic_net_weights_swapped"),
    "seed_random": ("random_search_cs231n_notes", "random_search_returns_last"),
    "a class seeded in the worker": ("linear_classifier_cs231n_verbose", "linear_classifier_two_draws"),
}


@pytest.mark.parametrize("part", SAME_GRADES)
def test_a_check_grades_alike_through_both_implementations(part):
    correct, wrong = _variant(SAME_GRADES[part][0]), mutant(SAME_GRADES[part][1])
    full = {gid: COURSE.test_cell(gid).points for gid in function_cells(correct.notebook, correct.function)}
    for entry in (correct, wrong):
        local = _grades_in_process(entry)
        assert local == _grades_in_the_worker(entry), entry.name
        scores = {gid: score for gid, (score, _) in local.items()}
        assert (scores == full) == (entry is correct), (entry.name, scores)
