"""The grading worker and its trusted side, without nbgrader: what crosses, what is refused, what is
isolated, and how failures stay local."""

from __future__ import annotations

import json
import os
import struct
import sys
from pathlib import Path

import numpy as np
import pytest

from grader.preprocessors.trusted_grading import definitions, hidden_test_call
from grader.sandbox import worker as wire
from grader.sandbox.proxies import active, answer_proxy, seed_global_random
from grader.sandbox.session import Limits, Session, WorkerFailure

REPO = Path(__file__).resolve().parents[1]
LINUX_ROOT = sys.platform.startswith("linux") and os.geteuid() == 0

STUDENT = '''
import numpy as np
def add_in_place(x, y):
    x += y
    return x.sum()
def draw(rng=None):
    return (rng or np.random).integers(0, 1000, 3) if rng is not None else np.random.randint(0, 1000, 3)
def apply(f, x):
    return f(x) * 2
def forever():
    while True:
        pass
def leave():
    import os
    os._exit(4)
def big():
    return np.ones((2**20, 2**20))
def object_array():
    return np.array([object()])
def read(path):
    return open(path).read()
def import_grader():
    import grader
def connect():
    import socket
    socket.create_connection(("192.0.2.1", 80), timeout=1)
def fork():
    import os
    return os.fork()
def uses_helper(x):
    return helper(x) + 1
def helper(x):
    return x
class Model:
    def __init__(self):
        self.W = None
    def fit(self, n):
        return [self.step(i) for i in range(n)]
    def step(self, i):
        return -1
answer_tuple = (0, float("inf"), "A")
'''


@pytest.fixture(scope="module")
def session():
    with Session([("answer cell", STUDENT)], limits=Limits(timeout_seconds=3)) as s:
        with active(s):
            yield s


def test_arrays_modified_in_place_are_copied_back(session):
    x = np.arange(3.0)
    assert answer_proxy(session, "add_in_place")(x, 1.0) == 6.0
    assert x.tolist() == [1.0, 2.0, 3.0]


def test_plain_values_travel_by_value(session):
    assert answer_proxy(session, "answer_tuple") == (0, float("inf"), "A")


def test_generators_and_global_seed_reach_the_worker(session):
    draw = answer_proxy(session, "draw")
    rng, same = np.random.default_rng(5), np.random.default_rng(5)
    assert draw(rng).tolist() == same.integers(0, 1000, 3).tolist()
    assert rng.integers(0, 10**9) == same.integers(0, 10**9)   # the generator advanced here too
    seed_global_random(3)
    first = draw()
    seed_global_random(3)
    assert draw().tolist() == first.tolist()


def test_trusted_functions_are_called_back(session):
    calls = []
    assert answer_proxy(session, "apply")(lambda v: calls.append(v) or v + 1, 2.0) == 6.0
    assert calls == [2.0]


def test_subclass_overrides_reach_the_worker_and_attributes_live_there(session):
    Model = answer_proxy(session, "Model")
    assert isinstance(Model, type)

    class Recorded(Model):
        def step(self, i):
            return i * 10 + (0 if self.W is None else 1)

    m = Recorded()
    assert m.fit(3) == [0, 10, 20]
    m.W = np.ones(2)
    assert m.W.tolist() == [1.0, 1.0] and m.fit(1) == [1]


def test_names_of_the_answers_namespace_can_be_replaced_while_checking(session):
    uses_helper = answer_proxy(session, "uses_helper")
    with uses_helper.patched_globals({"helper": lambda x: 100}):
        assert uses_helper(1) == 101
    assert uses_helper(1) == 2


def test_junk_arrives_as_an_opaque_value_never_an_object(session):
    value = answer_proxy(session, "object_array")()
    assert not isinstance(value, np.ndarray) and "dtype object" in repr(value)


def test_exceptions_keep_their_builtin_type_and_line(session):
    with pytest.raises(TypeError) as info:
        answer_proxy(session, "apply")()
    assert getattr(info.value, "from_student", False)


def test_a_loop_that_never_returns_times_out_once_then_fails_at_once(session):
    forever = answer_proxy(session, "forever")
    with pytest.raises(WorkerFailure, match="timed out after 3 s"):
        forever()
    with pytest.raises(WorkerFailure, match="timed out after 3 s"):
        forever()   # no second wait: the answer is marked failed
    assert answer_proxy(session, "add_in_place")(np.zeros(2), 1.0) == 2.0   # a fresh worker for the rest


def test_exit_and_memory_are_reported_in_words(session):
    with pytest.raises(WorkerFailure, match="the process exited"):
        answer_proxy(session, "leave")()
    with pytest.raises(Exception, match="ran out of memory"):
        answer_proxy(session, "big")()


def test_the_worker_cannot_import_the_grader(session):
    with pytest.raises(ModuleNotFoundError):
        answer_proxy(session, "import_grader")()


@pytest.mark.skipif(not LINUX_ROOT, reason="the empty file system needs Linux namespaces (root here)")
def test_the_file_system_is_empty_and_the_network_and_forks_are_closed(session, tmp_path):
    read = answer_proxy(session, "read")
    planted = tmp_path / "left_by_the_kernel.py"
    planted.write_text("secret = 1")
    planted.chmod(0o644)
    for path in (REPO / "course.yaml", REPO / "solutions" / "lecture3" / "losses.ipynb", planted, "/etc/hostname"):
        with pytest.raises(FileNotFoundError):
            read(str(path))
    with pytest.raises(OSError):
        answer_proxy(session, "connect")()
    with pytest.raises(OSError):
        answer_proxy(session, "fork")()
    assert session.applied["network"] == "isolated" and session.applied["filesystem"] == "empty"
    assert session.applied["user"] == "nobody"


def _frame(body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + body


def _read(data: bytes):
    r, w = os.pipe()
    os.write(w, data)
    os.close(w)
    try:
        return wire.read_message(wire.Reader(r))
    finally:
        os.close(r)


def test_the_wire_refuses_object_arrays_pickles_and_oversized_frames():
    import pickle

    def message(specs):
        return _frame(json.dumps({"op": "ok", "arrays": specs}).encode())

    blob = pickle.dumps([{"a": 1}])
    for spec, data in ((["|O", [1]], blob), (["V8", [1]], bytes(8)), ([[("a", "<f8")], [1]], bytes(8)),
                       (["<f8", [2]], bytes(8)), (["<f8", [-1]], b""), (["<f8", "2"], bytes(16))):
        with pytest.raises(wire.WireError):
            _read(message([spec]) + _frame(data))
    with pytest.raises(wire.WireError, match="limit"):
        _read(struct.pack(">I", wire.MAX_FRAME + 1))
    with pytest.raises(wire.WireError, match="not JSON"):
        _read(_frame(blob))
    got, arrays = _read(message([["<f8", [2, 1]]]) + _frame(np.array([[1.5], [2.5]]).tobytes()))
    assert got["op"] == "ok" and arrays[0].tolist() == [[1.5], [2.5]] and arrays[0].flags.writeable


def test_hidden_test_calls_are_read_from_the_cell_source():
    assert hidden_test_call('from grader import grade\ngrade("a-b", f)')[0] == "a-b"
    assert hidden_test_call('grade("q-2", (lo, hi))') is not None
    assert hidden_test_call('grade("a-b", f)\ngrade("a-c", f)') is None
    assert hidden_test_call('grade("a-b", f())') is None
    assert hidden_test_call("assert f(1) == 2") is None


def test_provided_cells_give_only_their_imports_and_definitions():
    kept = definitions("import numpy as np\ndata = load()\nplt.plot(data)\n"
                       "def helper(x):\n    return x\n%matplotlib inline\n")
    assert kept == ["import numpy as np", "def helper(x):\n    return x"]


def test_a_cell_that_never_finishes_loading_is_left_out_and_the_rest_loads():
    cells = [("answer cell a", "def a():\n    return 1\n"), ("answer cell b", "while True:\n    pass\n"),
             ("answer cell c", "def c():\n    return 3\n")]
    with Session(cells, limits=Limits(timeout_seconds=2)) as s:
        assert answer_proxy(s, "a")() == 1 and answer_proxy(s, "c")() == 3
        assert s.load_errors == [("answer cell b", "timed out after 2 s")]


def test_the_hash_seed_is_fixed_so_set_order_never_changes_a_grade():
    cells = [("answer cell", "def order():\n    return list({'softmax', 'svm', 'hinge', 'l2', 'l1', 'hog'})\n")]
    orders = []
    for _ in range(2):
        with Session(cells) as s:
            orders.append(answer_proxy(s, "order")())
    assert orders[0] == orders[1]


def test_heavy_modules_are_loaded_only_for_answers_that_import_them():
    from grader.sandbox.session import import_plan

    assert import_plan([("a", "def f(x):\n    return x")]).modules == []
    plan = import_plan([("a", "import scipy\nfrom matplotlib import colors\n"
                              "def g(x):\n    return scipy.special.expit(x)\n"),
                        ("b", "def h():\n    from scipy.linalg import norm\n")])
    assert plan.modules == ["scipy", "matplotlib", "scipy.linalg"]
    assert {"matplotlib.colors", "scipy.special.expit", "scipy.linalg.norm"} <= set(plan.names)
    # A provided cell's plotting import costs nothing unless an answer (or a helper it calls) uses it.
    provided = [("provided cell setup", "import matplotlib.pyplot as plt"),
                ("provided cell helpers", "def show(x):\n    plt.plot(x)\n"),
                ("provided cell loader", "def load():\n    from sklearn.datasets import load_digits\n")]
    assert import_plan([*provided, ("answer cell f", "def f(x):\n    return x\n")]).modules == []
    assert import_plan([*provided, ("answer cell f", "def f(x):\n    show(x)\n")]).modules == ["matplotlib.pyplot"]
    # Through a package's name, only the submodules the answers' attribute chains reach are loaded.
    plan = import_plan([("provided cell setup", "import matplotlib\nimport matplotlib.collections\n"),
                        ("answer cell f", "def f(x):\n    return matplotlib.colors.rgb_to_hsv(x)\n")])
    assert plan.modules == ["matplotlib"] and "matplotlib.colors" in plan.names
    with Session([("a", "from scipy.special import logsumexp\ndef f(x):\n    return logsumexp(x)\n")]) as s:
        assert answer_proxy(s, "f")(np.zeros(2)) == pytest.approx(np.log(2))


@pytest.mark.skipif(not LINUX_ROOT, reason="the kernel's container needs Linux namespaces (root here)")
def test_the_kernel_launcher_runs_its_command_in_a_private_root(tmp_path):
    import json
    import subprocess

    from grader.sandbox.kernel import LAUNCHER, python_paths

    base = tmp_path / "kernel"
    for name in ("run", "root", "home"):
        (base / name).mkdir(parents=True)
    folder, target = tmp_path / "notebook", tmp_path / "written_by_the_kernel"
    folder.mkdir()
    settings = {"status": str(base / "status.json"), "runtime": str(base / "run"), "root": str(base / "root"),
                "fallback_home": str(base / "home"), "home": "/home/student", "workdir": "/home/student/nb",
                "mounts": [], "readonly": python_paths(),
                "limits": {"memory_mb": 1024, "processes": 64, "cpu_seconds": 60, "file_mb": 8, "disk_mb": 64}}
    (base / "settings.json").write_text(json.dumps(settings))
    code = (f"import os; open(os.path.join(os.environ['HOME'], 'cache'), 'w').write('ok'); "
            f"print('home writable', os.getcwd(), os.path.exists({str(folder)!r})); open({str(target)!r}, 'w')")
    proc = subprocess.run([sys.executable, "-I", str(LAUNCHER), str(base / "settings.json"), "--", sys.executable,
                           "-c", code], capture_output=True, text=True, cwd=folder)
    assert "home writable /home/student/nb False" in proc.stdout, proc.stderr
    assert "Permission denied" in proc.stderr or "No such file or directory" in proc.stderr
    assert not target.exists() and not any((base / "root").iterdir())   # its root was private to it
    assert json.loads((base / "status.json").read_text())["filesystem"] == "own root"


# -- np.random and random in the worker: the same draws every time -----------------------------------

UNSEEDED = '''
import random
import numpy as np
def unseeded():
    return [float(np.random.rand()), random.random()]
'''


def _unseeded_in_fresh_worker() -> list:
    with Session([("answer cell", UNSEEDED)], limits=Limits(timeout_seconds=5)) as s, active(s), s.check_scope():
        return answer_proxy(s, "unseeded")()


def test_a_fresh_worker_and_each_check_start_from_the_same_seed():
    """Without a seed at the worker's start, np.random and random start from the system's entropy, and
    an unseeded answer's grade changes from one worker to the next."""
    import random

    first, second = _unseeded_in_fresh_worker(), _unseeded_in_fresh_worker()
    assert first == second
    np.random.seed(wire.START_SEED)
    random.seed(wire.START_SEED)
    assert first == [float(np.random.rand()), random.random()]
    with Session([("answer cell", UNSEEDED)], limits=Limits(timeout_seconds=5)) as s, active(s):
        for _ in range(2):   # a later check starts from the seed again, whatever an earlier one drew
            with s.check_scope():
                fn = answer_proxy(s, "unseeded")
                assert fn() == first and fn() != first


def test_each_hypothesis_example_reseeds_the_worker_as_it_reseeds_this_process():
    """Hypothesis seeds this process's np.random and random before each example; through the worker the
    same answer must draw the same numbers in every example, or its grade differs (a FlakyFailure)."""
    from hypothesis import strategies as st

    from grader.answers import LocalAnswer, grading
    from grader.checks.properties import each_holds_for_all
    from grader.course import load_course
    from grader.outcome import CheckContext

    namespace: dict = {}
    exec(UNSEEDED, namespace)
    here = LocalAnswer(namespace["unseeded"])
    ctx = CheckContext(load_course(REPO / "course.yaml", check_notebooks=False).policy)
    seen: dict[str, list] = {"here": [], "worker": []}
    with Session([("answer cell", UNSEEDED)], limits=Limits(timeout_seconds=5)) as s, active(s), s.check_scope():
        there = answer_proxy(s, "unseeded")
        for key, answer in (("here", here), ("worker", there)):
            with grading(answer, wire.START_SEED):
                [result] = each_holds_for_all(ctx, st.integers(0, 10), {
                    "draws": lambda n, answer=answer, key=key: seen[key].append(answer())})
            assert result.passed
    assert len(seen["worker"]) == len(seen["here"]) > 1
    assert seen["worker"] == seen["here"]
    assert all(draw == seen["here"][0] for draw in seen["here"])


# -- a returned argument is the argument ------------------------------------------------------------

RETURNS = '''
import numpy as np
def same(x, scale=None):
    x *= 2
    return x
def keyword(a, *, b):
    return b
def several(x):
    return [x, x.reshape(-1), x.ravel(), x[:1], x.T, x + 0]
'''


def test_an_answer_that_returns_its_argument_returns_the_callers_array():
    """A check tells `return x` from a new array by identity (`out is x`, np.shares_memory): through the
    worker the reply must be the very array passed, its in-place changes copied back, not a copy."""
    with Session([("answer cell", RETURNS)], limits=Limits(timeout_seconds=5)) as s, active(s), s.check_scope():
        x = np.arange(4.0).reshape(2, 2)
        assert answer_proxy(s, "same")(x) is x and x.tolist() == [[0.0, 2.0], [4.0, 6.0]]
        b = np.ones(3)
        assert answer_proxy(s, "keyword")(1.0, b=b) is b
        whole, flat, ravelled, part, transposed, new = answer_proxy(s, "several")(x)
        assert whole is x
        assert flat.shape == ravelled.shape == (4,) and np.shares_memory(flat, x) and np.shares_memory(ravelled, x)
        # other views and new arrays travel by value, with their values
        assert not any(np.shares_memory(v, x) for v in (part, transposed, new))
        assert part.tolist() == [[0.0, 2.0]] and transposed.tolist() == x.T.tolist() and new.tolist() == x.tolist()
        y = np.arange(3.0)
        answer_proxy(s, "same")(y.copy())
        assert y.tolist() == [0.0, 1.0, 2.0]


# -- numpy's error handling follows the grader's ------------------------------------------------------

DIVIDES = '''
import numpy as np
np.seterr(all="raise")   # the answer cells' own setting does not decide how the grader sees its code
def divide(x):
    return x / 0.0
'''


def test_the_workers_numpy_error_handling_is_the_callers():
    """A check that silences numpy around the call (np.errstate) silences it in the worker too; a check
    that does not sees the warning, as in the kernel."""
    with Session([("answer cell", DIVIDES)], limits=Limits(timeout_seconds=5)) as s, active(s), s.check_scope():
        divide = answer_proxy(s, "divide")
        s.warnings()
        with np.errstate(all="ignore"):
            assert divide(np.ones(2)).tolist() == [np.inf, np.inf]
        assert s.warnings() == []
        with np.errstate(divide="warn"):
            divide(np.ones(2))
        assert s.warnings() == ["RuntimeWarning: divide by zero encountered in divide"]
        with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
            divide(np.ones(2))
    assert wire._errstate({"divide": "call", "over": "ignore", "under": 3, "other": "raise"}) == {
        "divide": "warn", "over": "ignore", "invalid": "warn", "under": "ignore"}


# -- the student's line of an exception --------------------------------------------------------------

SINGULAR = '''
import numpy as np
def solve(A, y):
    return np.linalg.solve(A, y)
def through_helper(A, y):
    scaled = A * 2
    return solve(scaled, y)
'''


def _line_of_the_students_exception(call) -> str:
    from grader.outcome import explain_exception

    with pytest.raises(Exception) as info:
        call(np.zeros((2, 2)), np.ones(2))
    return explain_exception(info.value)[0]


def test_an_exception_shows_the_innermost_line_of_the_students_code_in_both_paths():
    """The feedback names the line of the student's code where the exception passed: through the
    worker (whose cells' source is in its linecache) and here alike, never numpy's own line."""
    from grader.answers import LocalAnswer

    solve_line = "(at `return np.linalg.solve(A, y)`)"
    with Session([("answer cell", SINGULAR)], limits=Limits(timeout_seconds=5)) as s, active(s), s.check_scope():
        for name in ("solve", "through_helper"):
            got = _line_of_the_students_exception(answer_proxy(s, name))
            assert got == f"LinAlgError: Singular matrix {solve_line}"
    import linecache

    cell, namespace = "<answer cell singular>", {}
    exec(compile(SINGULAR, cell, "exec"), namespace)
    linecache.cache[cell] = (len(SINGULAR), None, SINGULAR.splitlines(True), cell)   # as IPython keeps a cell
    try:
        for name in ("solve", "through_helper"):
            got = _line_of_the_students_exception(LocalAnswer(namespace[name]))
            assert got == f"LinAlgError: Singular matrix {solve_line}"
    finally:
        linecache.cache.pop(cell, None)
