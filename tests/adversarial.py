"""Cheating submissions: each must earn no point it did not earn honestly, through real `nbgrader
autograde`. Several of them get full marks on stock nbgrader, whose hidden tests run in the
student's kernel.

Two kinds:
- on stubs (`honest_target` empty): every answer of the notebook is left as the stub, so every point
  would be unearned; the cheat goes into the first answer cell (or tampers with the notebook).
  Expected: zero on every cell of the notebook.
- on one function (`honest_target` set): the solution everywhere, except that answer, which holds
  the attack. Expected: zero on that answer's cells, full marks on every other cell, and the
  feedback of its cells saying what happened (`feedback`); for a slow but correct answer
  (`slow`), less than full marks on its cells, within the grading-time budget.
- on several answers (`answers` set): those answer cells replaced, the rest stubs. Expected: zero on
  the cells of the functions in `unearned`.

Each attack names its notebook (losses unless said otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat

NOTEBOOK = "losses"


@dataclass(frozen=True)
class Attack:
    name: str
    description: str
    cheat: str = ""                     # code added to the first answer cell, or the attacked answer
    honest_target: str = ""             # the one answer replaced by `cheat`; the rest is the solution
    feedback: str = ""                  # text the attacked answer's test cells must show
    tamper: Callable[[nbformat.NotebookNode, Path], None] | None = None  # edits the notebook or its folder
    notebook: str = NOTEBOOK
    answers: tuple[tuple[str, str], ...] = ()   # (grade_id, source) of answer cells replaced, the rest stubs
    unearned: tuple[str, ...] = ()              # functions whose cells must score 0 (with `answers`)
    slow: bool = False                          # correct but slow: graded within the time budget


def _test_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and
            not c.metadata["nbgrader"].get("solution") and c.cell_type == "code"]


def _edit_test_cells(nb, folder):
    for cell in _test_cells(nb):
        cell.source = "1.0"


def _delete_test_cells(nb, folder):
    nb.cells = [c for c in nb.cells if c not in _test_cells(nb)]


def _raise_points_and_unlock(nb, folder):
    for cell in _test_cells(nb):
        cell.metadata["nbgrader"].update(points=1000, locked=False, solution=True)
        cell.source = "svm_q1_loss = 1.0\n"


def _test_cells_to_markdown(nb, folder):
    for cell in _test_cells(nb):
        cell.cell_type = "markdown"
        cell.pop("outputs", None)
        cell.pop("execution_count", None)


def _fake_outputs(nb, folder):
    for cell in _test_cells(nb):
        cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1000.0"}, execution_count=1)]
        cell.execution_count = 1


def _new_graded_cell(nb, folder):
    cell = nbformat.v4.new_code_cell("1000.0")
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 1000,
                                 "grade_id": "bonus-points", "schema_version": 3}
    nb.cells.append(cell)


def _shadow_modules(nb, folder):
    (folder / "numpy.py").write_text("def allclose(*a, **k):\n    return True\n", encoding="utf-8")
    fake = folder / "grader"
    fake.mkdir()
    (fake / "__init__.py").write_text("def grade(grade_id, answer):\n    return 1000.0\n", encoding="utf-8")


def _rename_notebook(nb, folder):
    # The real notebook is submitted under another name; a copy with every test cell emptied takes its place.
    nbformat.write(nb, folder / "losses_final.ipynb")
    _edit_test_cells(nb, folder)


def _elastic_net_tests_first(nb, folder):
    # The elastic net's check lends the trusted L1 and L2 to the student's namespace; graded first, it
    # would let the student's l1/l2 keep and call them (if lent functions outlived their check).
    tests = _test_cells(nb)
    elastic = [c for c in tests if c.metadata["nbgrader"]["grade_id"].startswith("elastic_net_regularization-")]
    first_l2 = next(c for c in tests if c.metadata["nbgrader"]["grade_id"].startswith("l2_regularization-"))
    rest = [c for c in nb.cells if c not in elastic]
    at = rest.index(first_l2)
    nb.cells = rest[:at] + elastic + rest[at:]


ORACLE_L2 = """import numpy as np
_lent = {}

def l2_regularization(W, reg):
    if 'l2' in _lent:
        return _lent['l2'](W, reg)
    raise NotImplementedError()
"""
ORACLE_L1 = """def l1_regularization(W, reg):
    if 'l1' in _lent:
        return _lent['l1'](W, reg)
    raise NotImplementedError()
"""
ORACLE_ELASTIC = """def elastic_net_regularization(W, reg, l1_ratio=0.5):
    _lent['l1'] = globals()['l1_regularization']   # during its check: the grader's trusted L1 and L2
    _lent['l2'] = globals()['l2_regularization']
    R1, dR1 = l1_regularization(W, reg)
    R2, dR2 = l2_regularization(W, reg)
    return float(l1_ratio * R1 + (1 - l1_ratio) * R2), l1_ratio * dR1 + (1 - l1_ratio) * dR2
"""
SLEEPY_L2 = """import time
import numpy as np

def l2_regularization(W, reg):
    time.sleep(3)
    return float(reg * np.sum(W * W)), 2 * reg * W
"""


# The worker's reply channel is a pipe whose number student code is not told; it can still try them all.
RAW_FRAME_WRITER = """import json, os, stat, struct, sys

def _to_every_pipe(data):
    if 'ipykernel' in sys.modules:   # aimed at the grading worker, not at the student's own kernel
        return
    for fd in range(3, 64):
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                os.write(fd, data)
        except OSError:
            pass

"""


FIND_COURSE = """
import os as _os
_here = _os.path.abspath(".")
_course = next((p for p in [_here] + [_os.path.dirname(_here), _os.path.dirname(_os.path.dirname(_here)),
                _os.path.dirname(_os.path.dirname(_os.path.dirname(_here)))]
                if _os.path.exists(_os.path.join(p, "course.yaml"))), None)
"""

ATTACKS = [
    Attack("input_transformer_blanks_cells",
           "an input transformer turns every later cell, hidden tests included, into `pass`",
           "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"),
    Attack("allclose_always_true", "numpy's comparisons patched to always agree",
           "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
           "np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), bool)\n"
           "np.array_equal = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None"),
    Attack("custom_exception_handler", "set_custom_exc swallows every exception, so failing tests look clean",
           "get_ipython().set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)"),
    Attack("event_hook_rewrites_results", "a post_run_cell hook and a display hook make every cell return 1000",
           "ip = get_ipython()\nip.events.register('pre_run_cell', lambda info: setattr(info, 'raw_cell', '1000.0'))\n"
           "ip.displayhook.write_output_prompt = lambda: None"),
    Attack("builtins_patched", "float, isinstance, callable and round replaced in builtins",
           "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.callable = lambda *a: True\n"
           "builtins.float = lambda *a: 0.0\nbuiltins.round = lambda *a, **k: 1000.0"),
    Attack("fake_grader_in_sys_modules", "a fake `grader` module whose grade() returns full marks",
           "import sys, types\nsys.modules['grader'] = types.SimpleNamespace(grade=lambda grade_id, answer: 1000.0)"),
    Attack("import_hook_fakes_grader", "a meta-path finder that serves a fake `grader` package",
           "import sys, types, importlib.abc, importlib.machinery\n"
           "class _Fake(importlib.abc.MetaPathFinder, importlib.abc.Loader):\n"
           "    def find_spec(self, name, path, target=None):\n"
           "        return importlib.machinery.ModuleSpec(name, self) if name.split('.')[0] == 'grader' else None\n"
           "    def create_module(self, spec):\n        return types.ModuleType(spec.name)\n"
           "    def exec_module(self, module):\n        module.grade = lambda *a: 1000.0\n"
           "sys.meta_path.insert(0, _Fake())\nsys.modules.pop('grader', None)"),
    Attack("lying_ndarray_subclass", "svm_loss_naive returns an ndarray subclass whose comparisons and arithmetic lie",
           "import numpy as np\nclass _Liar(np.ndarray):\n    def __eq__(self, other): return True\n"
           "    def __sub__(self, other): return np.zeros(1).view(_Liar)\n    def __float__(self): return 0.0\n"
           "    def __array_function__(self, func, types, args, kwargs): return True\n"
           "def svm_loss_naive(W, X, y, reg):\n    return np.zeros(1).view(_Liar), np.zeros(W.shape).view(_Liar)"),
    Attack("system_exit_in_answer_cell", "SystemExit raised at the top of an answer cell", "raise SystemExit(0)"),
    Attack("kernel_killed_by_os_exit", "os._exit kills the kernel while it runs the answer cells",
           "import os\nos._exit(0)"),
    Attack("exec_the_solution_from_disk", "the answer cell finds solutions/ and executes the instructor's answers",
           FIND_COURSE + "import json\n"
           "_nb = json.load(open(_os.path.join(_course, 'solutions', 'lecture3', 'losses.ipynb')))\n"
           "for _c in _nb['cells']:\n"
           "    if _c['cell_type'] == 'code' and _c['metadata'].get('nbgrader', {}).get('solution'):\n"
           "        exec(''.join(_c['source']))"),
    Attack("import_the_reference", "the answers are the grader's own reference implementations",
           "from grader.reference.losses import svm_loss as svm_loss_naive, svm_loss as svm_loss_vectorized\n"
           "from grader.reference.losses import softmax_loss as softmax_loss_naive, "
           "softmax_loss as softmax_loss_vectorized"),
    Attack("gradebook_written_by_kernel", "the kernel opens gradebook.db and sets every score to the maximum",
           FIND_COURSE + "import sqlite3\n_db = sqlite3.connect(_os.path.join(_course, 'gradebook.db'))\n"
           "_db.execute('UPDATE grade SET auto_score = 1000, manual_score = 1000')\n_db.commit()"),
    Attack("gradebook_read_for_answers", "the worker-side code tries to read gradebook.db and course.yaml",
           FIND_COURSE + "def svm_loss_naive(W, X, y, reg):\n"
           "    open(_os.path.join(_course, 'gradebook.db'), 'rb').read()\n"
           "    open(_os.path.join(_course, 'course.yaml')).read()\n    raise RuntimeError('unreachable')"),
    Attack("prints_fake_success", "the stubs print what a full-marks report looks like",
           "print('svm_loss_naive-gradient: 3 / 3 points (4 of 4 checks passed)')\nprint('  PASS  everything')"),
    Attack("frame_walk_into_the_grader", "the function walks up the call stack to set the grader's score variables",
           "import sys\ndef svm_loss_naive(W, X, y, reg):\n    f = sys._getframe()\n    while f:\n"
           "        for k in ('passed', 'ok', 'score'):\n            if k in f.f_locals:\n"
           "                f.f_locals[k] = True\n        f = f.f_back\n    raise NotImplementedError"),
    Attack("locked_test_cells_edited", "every test cell's code replaced by `1.0`", tamper=_edit_test_cells),
    Attack("locked_test_cells_deleted", "every test cell removed from the notebook", tamper=_delete_test_cells),
    Attack("test_cell_metadata_changed", "test cells unlocked, turned into answer cells, worth 1000 points",
           tamper=_raise_points_and_unlock),
    Attack("test_cells_made_markdown", "test cells turned into markdown, so nothing can fail",
           tamper=_test_cells_to_markdown),
    Attack("test_outputs_prefilled", "test cells submitted with a saved output of 1000 points", tamper=_fake_outputs),
    Attack("extra_graded_cell", "a new cell claiming to be a graded test worth 1000 points", tamper=_new_graded_cell),
    Attack("shadow_modules_beside_notebook", "a numpy.py and a grader/ package submitted next to the notebook",
           tamper=_shadow_modules),
    Attack("notebook_renamed", "the work submitted under another name, a gutted losses.ipynb in its place",
           tamper=_rename_notebook),
    # -- attacks on one function, the rest honest -------------------------------------------------------
    Attack("infinite_loop", "svm_loss_naive never returns",
           "def svm_loss_naive(W, X, y, reg):\n    while True:\n        pass",
           honest_target="svm_loss_naive", feedback="timed out after"),
    Attack("memory_bomb", "svm_loss_vectorized allocates far more memory than the worker may use",
           "import numpy as np\ndef svm_loss_vectorized(W, X, y, reg):\n"
           "    big = np.ones((2**20, 2**20))\n    return big.sum(), W",
           honest_target="svm_loss_vectorized", feedback="ran out of memory"),
    Attack("os_exit_in_function", "softmax_loss_naive ends the process",
           "import os\ndef softmax_loss_naive(W, X, y, reg):\n    os._exit(3)",
           honest_target="softmax_loss_naive", feedback="the process exited"),
    Attack("interpreter_crash", "softmax_loss_vectorized crashes the interpreter (segmentation fault)",
           "import ctypes\ndef softmax_loss_vectorized(W, X, y, reg):\n    ctypes.string_at(0)",
           honest_target="softmax_loss_vectorized", feedback="crashed"),
    Attack("fork_and_thread", "multiclass_hinge_loss starts processes and threads to escape its limits",
           "import os, threading\ndef multiclass_hinge_loss(scores, y):\n"
           "    threading.Thread(target=lambda: None).start()\n"
           "    os.fork()\n    raise NotImplementedError",
           honest_target="multiclass_hinge_loss", feedback="RuntimeError"),
    Attack("network_exfiltration", "softmax connects to the network",
           "import socket\ndef softmax(scores):\n"
           "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n    return scores",
           honest_target="softmax", feedback="OSError"),
    # -- the channel between the worker and the trusted side -------------------------------------------
    Attack("lent_references_kept_for_later", "elastic net's tests moved first; its answer keeps the trusted L1/L2 "
           "the grader lends it, and the stubbed l1/l2 call them later", notebook="regularization",
           answers=(("l2_regularization", ORACLE_L2), ("l1_regularization", ORACLE_L1),
                    ("elastic_net_regularization", ORACLE_ELASTIC)),
           unearned=("l2_regularization", "l1_regularization"), tamper=_elastic_net_tests_first),
    Attack("slow_correct_answer", "a correct l2_regularization that sleeps 3 s per call", SLEEPY_L2,
           honest_target="l2_regularization", notebook="regularization", feedback="grading time", slow=True),
    Attack("oversized_answer_cell", "an answer cell of 300 kB (a correct l1 padded with a comment)",
           "import numpy as np\n# " + "x" * 300_000 + "\ndef l1_regularization(W, reg):\n"
           "    return float(reg * np.sum(np.abs(W))), reg * np.sign(W)",
           honest_target="l1_regularization", notebook="regularization", feedback="not loaded"),
    Attack("raising_name_property", "softmax returns an object whose __name__ property raises",
           "class _Evil:\n    @property\n    def __name__(self):\n        raise ValueError('no name')\n"
           "def softmax(scores):\n    return _Evil()", honest_target="softmax", feedback="unreadable"),
    Attack("deeply_nested_reply", "softmax returns a list nested 200,000 deep",
           "def softmax(scores):\n    out = []\n    for _ in range(200_000):\n        out = [out]\n    return out",
           honest_target="softmax", feedback="unreadable"),
    Attack("many_small_arrays", "softmax returns a list of 200,000 one-element arrays",
           "import numpy as np\ndef softmax(scores):\n    return [np.zeros(1) for _ in range(200_000)]",
           honest_target="softmax", feedback="unreadable"),
    Attack("raw_frame_promising_250_mb", "softmax writes, to every pipe it can find, a frame header promising "
           "250 MB of JSON, then 1 MB of it", RAW_FRAME_WRITER + "def softmax(scores):\n"
           "    _to_every_pipe(struct.pack('>I', 250_000_000) + b'[' + b'0,' * 500_000)\n    return scores",
           honest_target="softmax", feedback="unreadable"),
    Attack("forged_reply_lying_array_header", "softmax writes a forged reply whose header promises ten arrays of "
           "256 MB, then sends 1 MB", RAW_FRAME_WRITER + "def softmax(scores):\n"
           "    head = json.dumps({'op': 'ok', 'seq': 1, 'value': {'t': 'list', 'items': []},\n"
           "                       'arrays': [['<f8', [2**25]]] * 10}).encode()\n"
           "    _to_every_pipe(struct.pack('>I', len(head)) + head + struct.pack('>I', 2**28) + bytes(2**20))\n"
           "    return scores", honest_target="softmax", feedback="unreadable"),
]


def first_answer_id(nb) -> str:
    return next(c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")


def write_attack(attack: Attack, folder: Path, release: Path, answers: dict[str, str]) -> None:
    """The attack's submission of its notebook in `folder` (a submitted/<student>/<assignment> folder);
    `release` and `answers` are that notebook's release and solution answers."""
    from grader.submissions import fill_answers

    if attack.answers:
        nb = fill_answers(release, {grade_id: source + "\n" for grade_id, source in attack.answers})
    elif attack.honest_target:
        nb = fill_answers(release, {**answers, attack.honest_target: attack.cheat + "\n"})
    else:
        nb = nbformat.read(release, as_version=4)
        if attack.cheat:
            first = first_answer_id(nb)
            stub = next(c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == first)
            nb = fill_answers(release, {first: stub + "\n\n" + attack.cheat + "\n"})
    folder.mkdir(parents=True, exist_ok=True)
    if attack.tamper:
        attack.tamper(nb, folder)
    nbformat.write(nb, folder / f"{attack.notebook}.ipynb")


