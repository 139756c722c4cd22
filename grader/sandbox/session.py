"""The trusted side of the worker: starts it, sends requests, serves its callbacks, enforces deadlines.

A session holds one notebook's student code. If the worker times out, dies or breaks the protocol,
the answer being called is marked failed for the rest of the session (its later calls fail at once
with the same message, so one infinite loop costs one timeout), and the next request starts a fresh
worker with the same cells.

Each test cell's check runs in its own scope (`check_scope`): the trusted functions it passes to the
student's code (arguments, patched names, overridden methods) can be called back only until it ends,
and the stand-ins for worker objects it obtained are not used by a later check. A time limit
(`time_limit`, set by the trusted step from the course's budgets) bounds every request besides the
per-call timeout; a request that runs into it fails with the cause in words (`OutOfTime`).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import itertools
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..outcome import OutOfTime, WorkerFailure  # defined with the outcome model; raised here
from . import worker as wire
from .proxies import TrustedCodec

WORKER_SOURCE = Path(wire.__file__).read_text(encoding="utf-8")
# Loaded into every worker before its file system is emptied: numpy and the usual standard library.
# Everything else an answer imports is loaded only for the answers that import it (see import_plan),
# and a numpy submodule the answer names (`np.polynomial.Polynomial`) from its attribute chain; the
# numpy submodule numpy's own functions import on their first call is listed here: numpy.ma (np.unique,
# np.nanmedian; about 20 ms per worker).
PRELOAD = ["numpy", "numpy.linalg", "numpy.random", "numpy.fft", "numpy.ma", "math", "cmath",
           "random", "itertools", "functools", "collections", "operator", "heapq", "bisect", "copy", "time", "re",
           "string", "statistics", "warnings", "colorsys", "dataclasses", "typing", "traceback", "ctypes",
           "socket", "encodings.idna"]
DYNAMIC_IMPORTS = {"import_module", "__import__"}   # importlib.import_module("x"), __import__("x")


@dataclass
class ImportPlan:
    """What the worker imports before its file system disappears, from the cells' source alone."""
    modules: list[str]           # named by an import statement: the statement fails without them
    names: list[str]             # dotted names that may be submodules: `from x import y`, `x.y.z` after `import x`
    bindings: dict[str, str]     # a name an import statement binds -> the module the statement names


def import_plan(cells: list[tuple[str, str]]) -> ImportPlan:
    """Every module the answers can reach by an import: each import statement of the answer cells
    (anywhere, inside functions too), and of the instructor's provided definitions that the answers
    use (directly or through other provided definitions), so that a plotting import in a setup cell
    costs nothing. Attribute chains on imported names (`scipy.stats.norm` after `import scipy`) are
    listed too: packages such as scipy load those submodules only when first touched."""
    answers, provided = [], []   # parsed answer cells; provided top-level statements
    for label, source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        if label.startswith("provided cell"):
            provided.extend(tree.body)
        else:
            answers.append(tree)
    used_code = list(answers)
    used = set().union(*(_names_read(t) for t in answers)) if answers else set()
    pending = list(provided)
    while True:   # provided definitions the answers reach, directly or through each other
        reached = [n for n in pending if _bound_names(n) & used]
        if not reached:
            break
        for node in reached:
            pending.remove(node)
            used_code.append(node)
            used |= _names_read(node)
    modules, names, bindings, roots = [], [], {}, {}
    for tree in used_code:
        from_provided = tree in provided
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    # A provided `import matplotlib.collections` is used when `matplotlib` is; what the
                    # answers reach through that name is loaded from their attribute chains below.
                    named = bound if from_provided and not alias.asname else alias.name
                    modules.append(named)
                    bindings[bound] = named
                    roots[bound] = alias.name if alias.asname else bound
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules.append(node.module)
                for alias in node.names:
                    if alias.name != "*":
                        names.append(f"{node.module}.{alias.name}")
                        bindings[alias.asname or alias.name] = node.module
                        roots[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                  and isinstance(node.args[0].value, str)
                  and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) in DYNAMIC_IMPORTS):
                names.append(node.args[0].value)
    for tree in used_code:
        for node in ast.walk(tree):
            chain = _attribute_chain(node)
            if chain and chain[0] in roots:
                names.append(".".join([roots[chain[0]], *chain[1:]]))
    return ImportPlan(list(dict.fromkeys(modules)), list(dict.fromkeys(names)), bindings)


def _names_read(tree) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _bound_names(node) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Import):
        return {a.asname or a.name.split(".")[0] for a in node.names}
    if isinstance(node, ast.ImportFrom):
        return {a.asname or a.name for a in node.names}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def _attribute_chain(node) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"] when node is the outermost attribute of a chain on a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not parts or not isinstance(node, ast.Name):
        return None
    return [node.id, *reversed(parts)]


@dataclass(frozen=True)
class TimeLimit:
    """A wall-clock budget the session's requests share (the trusted step sets one per test cell)."""
    deadline: float   # time.monotonic() when it runs out
    what: str         # whose budget, for the feedback: "for this notebook (120 s)"


# A trusted function called back after the check that passed it ended: the student's call raises this.
EXPIRED_CALLBACK = ("this function was lent by the grader to an earlier check and cannot be called "
                    "after that check ended")
PACED_OPS = ("call", "new", "getattr", "setattr")   # requests that run the student's code


class StudentError(Exception):
    """An exception the student's code raised in the worker, of a type that cannot be rebuilt here."""

    def __init__(self, type_name: str, message: str):
        super().__init__(message)
        self.type_name = type_name


@dataclass
class Limits:
    timeout_seconds: float = 10.0     # per request, wall clock
    memory_bytes: int = 2 * 2**30     # address space of the worker
    cpu_seconds: int = 300            # the worker's whole life
    file_bytes: int = 16 * 2**20      # largest file it may write
    processes: int = 0                # new processes or threads: none (a fork would share the channel)
    reply: wire.ReplyCaps = field(default_factory=wire.ReplyCaps)   # what one message from it may hold


@dataclass
class Session:
    cells: list[tuple[str, str]]                  # (label, source) of the code the worker loads
    limits: Limits = field(default_factory=Limits)
    load_errors: list[tuple[str, str]] = field(default_factory=list, init=False)  # (cell label, error)
    applied: dict = field(default_factory=dict, init=False)   # what lock_down applied, for the log
    failed: dict[str, str] = field(default_factory=dict, init=False)  # answer name -> why its worker failed
    generation: int = field(default=0, init=False)            # worker restarts: stale references fail

    def __post_init__(self):
        self._proc = None
        self._unloadable: dict[int, str] = {}   # cell index -> why loading it failed the worker
        self.instances: dict[int, object] = {}   # worker object id -> the stand-in created here
        self.current_answer = ""
        self._callbacks: dict[int, object] = {}     # callback id -> trusted function, this scope only
        self._callback_ids: dict[int, int] = {}     # id(function) -> its callback id, this scope only
        self._callback_numbers = itertools.count(1)  # never reused: an old id never names a new function
        self.scope = 0                              # check scopes: references from an earlier one fail
        self.time_limit: TimeLimit | None = None
        self.ran_out: str | None = None             # the last budget that ran out, in words
        self.pace: dict[str, list[float]] = {}      # answer -> [finished calls, their seconds]
        self._callback_errors: list[BaseException] = []
        self._out_of_time_answers: set[str] = set()
        self._output = tempfile.TemporaryFile(mode="w+b")
        self._output_read = 0
        self._warned: set[str] = set()
        self._workdir = None
        self._seed: int | None = None               # np.random's seed for the worker's next request
        self.imports = import_plan(self.cells)
        self.codec = TrustedCodec(self)

    # -- process -------------------------------------------------------------------------------

    def _start(self) -> None:
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        self._workdir = tempfile.TemporaryDirectory(prefix="worker-", ignore_cleanup_errors=True)
        os.chmod(self._workdir.name, 0o777)  # its root, or where there are no namespaces, its working folder
        config = {
            "path": _module_path(), "fds": [to_worker_r, from_worker_w], "preload": PRELOAD,
            "modules": self.imports.modules, "names": self.imports.names, "bindings": self.imports.bindings,
            "root": self._workdir.name, "uid": os.getuid(), "gid": os.getgid(),
            "limits": {"RLIMIT_AS": self.limits.memory_bytes, "RLIMIT_CPU": self.limits.cpu_seconds,
                       "RLIMIT_FSIZE": self.limits.file_bytes, "RLIMIT_CORE": 0,
                       "RLIMIT_NPROC": self.limits.processes},
            "caps": self.limits.reply.as_config(),
        }
        # The whole environment is this one: a fixed hash seed keeps the student's set and dict orders,
        # and so the grades, the same from run to run.
        env = {"PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HOME": self._workdir.name, "TMPDIR": self._workdir.name}
        # -S -s: no site-packages .pth files (the editable install of this project) and no user site;
        # -P: neither the working folder nor a script's folder goes on the module path. The
        # configuration goes on standard input: the channel's descriptors are not in sys.argv.
        self._proc = subprocess.Popen(
            [sys.executable, "-S", "-s", "-P", "-u", "-c", WORKER_SOURCE + "\nmain()\n"],
            pass_fds=(to_worker_r, from_worker_w), stdin=subprocess.PIPE, stdout=self._output,
            stderr=subprocess.STDOUT, cwd=self._workdir.name, env=env, start_new_session=True)
        os.close(to_worker_r)
        os.close(from_worker_w)
        self._w, self._r = to_worker_w, from_worker_r
        self._reader = wire.Reader(from_worker_r)
        with self._proc.stdin:
            self._proc.stdin.write(json.dumps(config).encode())
        os.set_blocking(self._w, False)
        os.set_blocking(self._r, False)
        self.generation += 1
        self.instances = {}
        budget = self.time_limit.deadline if self.time_limit else float("inf")
        deadline = min(time.monotonic() + max(30.0, self.limits.timeout_seconds), budget)
        message, _ = wire.read_message(self._reader, self._waiter(deadline), self.limits.reply)
        if message.get("op") != "ready":
            raise WorkerFailure("the worker did not start")
        self.applied = message.get("applied", {})
        self.load_errors = []
        for index, (label, source) in enumerate(self.cells):
            if index in self._unloadable:
                self.load_errors.append((label, self._unloadable[index]))
                continue
            try:
                failed = self._request({"op": "load", "cells": [[label, source]]}, {},
                                       deadline=min(time.monotonic() + self.limits.timeout_seconds, budget))
            except WorkerFailure as exc:
                if time.monotonic() >= budget:   # the budget ran out, not the cell's own time
                    raise
                # A cell that never finishes loading, or ends the process, is left out from now on.
                self._unloadable[index] = str(exc)
                self.close()
                return self._start()
            if not (type(failed) is list and all(type(x) is list and len(x) == 2 and all(type(t) is str for t in x)
                                                 for x in failed)):
                self._unloadable[index] = "the cell sent something unreadable while it was loaded"
                self.close()
                return self._start()
            self.load_errors += [(label, error[:300]) for label, error in failed]

    def close(self) -> None:
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._proc.wait()
            for fd in (self._w, self._r):
                os.close(fd)
            self._proc = None
        if self._workdir is not None:
            # Removed now, never by the garbage collector: its warning would land in some feedback.
            self._workdir.cleanup()
            self._workdir = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        self._output.close()

    def ensure_started(self, answer: str = "") -> None:
        if self._proc is None:
            if self._over_budget(float("inf")):
                raise self._out_of_time(answer or self.current_answer)
            try:
                self._start()
            except (WorkerFailure, EOFError, wire.WireError, TimeoutError, OSError) as exc:
                self.close()
                if self._over_budget(float("inf")):
                    raise self._out_of_time(answer or self.current_answer) from None
                raise WorkerFailure(f"the worker could not start: {exc}") from None

    @contextlib.contextmanager
    def check_scope(self):
        """One test cell's check. Trusted functions passed to the student's code inside can be called
        back only until it ends; stand-ins for worker objects made inside fail afterwards (the answers
        themselves are looked up again), so every check starts from references it obtains itself."""
        self._new_scope()
        try:
            yield self
        finally:
            self._new_scope()

    def _new_scope(self) -> None:
        self.scope += 1
        self._callbacks, self._callback_ids, self.instances = {}, {}, {}
        # Every check starts from the same np.random and random, whatever earlier checks drew.
        self.seed_random(wire.START_SEED)

    def seed_random(self, seed: int) -> None:
        """Seed np.random and random in the worker before the student's code runs next: the seed
        travels with the next request (a worker started for it seeds itself, then takes it too), so
        reseeding for each of Hypothesis' examples costs no round trip of its own."""
        self._seed = int(seed) % 2**32

    def printed(self) -> str:
        """What the student's code printed since the last time this was asked."""
        self._output.seek(self._output_read)
        data = self._output.read()
        self._output_read += len(data)
        return data.decode("utf-8", "replace")

    def warnings(self) -> list[str]:
        """The warnings the student's code raised since the last time this was asked ("Category:
        message", sorted, each once), as `run_check` reports them in the student's kernel."""
        warned, self._warned = sorted(self._warned), set()
        return warned

    # -- requests ------------------------------------------------------------------------------

    def request(self, message: dict, values: dict | None = None, *, answer: str = ""):
        """Send one request and return the decoded value; student exceptions are re-raised here.
        The deadline (the per-call timeout, or the time limit if that comes first) covers the whole
        round trip: sending, the student's code, the callbacks it makes, reading and decoding."""
        if answer in self.failed:
            raise (OutOfTime if answer in self._out_of_time_answers else WorkerFailure)(self.failed[answer])
        who = answer or self.current_answer
        try:
            if self._over_budget(float("inf")):
                raise self._out_of_time(who)
            self.ensure_started(who)
            self.current_answer = answer or self.current_answer
            start = time.monotonic()
            deadline = min(start + self.limits.timeout_seconds,
                           self.time_limit.deadline if self.time_limit else float("inf"))
            if self._seed is not None:
                message["reseed"], self._seed = self._seed, None
            if message.get("op") in PACED_OPS:   # numpy's error handling follows the caller's (np.errstate)
                message["errstate"] = {kind: np.geterr()[kind] for kind in wire.ERRSTATE_KINDS}
            try:
                value = self._request(message, values or {}, deadline=deadline)
            except WorkerFailure:
                if self._over_budget(deadline):
                    self.close()
                    raise self._out_of_time(who, start) from None
                raise
            except Exception:   # the student's exception: on time, or a timeout
                self._overdue(deadline, start, who)
                raise
            self._overdue(deadline, start, who)
        except WorkerFailure as exc:
            if answer:
                self.failed[answer] = str(exc)
                if isinstance(exc, OutOfTime):
                    self._out_of_time_answers.add(answer)
            raise
        if message.get("op") in PACED_OPS and who:
            pace = self.pace.setdefault(who, [0, 0.0])
            pace[0] += 1
            pace[1] += time.monotonic() - start
        return value

    def _overdue(self, deadline: float, start: float, who: str) -> None:
        """A reply that came in time but was decoded after the deadline is late all the same."""
        if time.monotonic() <= deadline:
            return
        if self._over_budget(deadline):
            raise self._out_of_time(who, start)
        raise WorkerFailure(f"timed out after {self.limits.timeout_seconds:g} s")

    def _over_budget(self, deadline: float) -> bool:
        """Whether the time limit has run out and was the deadline that bound (not the call's own)."""
        limit = self.time_limit
        return limit is not None and limit.deadline <= deadline and time.monotonic() >= limit.deadline

    def _out_of_time(self, who: str, start: float | None = None) -> OutOfTime:
        """The budget that ran out, what was being checked, and how long its calls took."""
        calls, seconds = self.pace.get(who, (0, 0.0))
        pace = ""
        if calls:
            pace = f": each call took about {seconds / calls:.2g} s"
        elif start is not None:
            pace = f": a call was still running after {time.monotonic() - start:.2g} s"
        checking = f" while checking `{who}`{pace}" if who else ""
        self.ran_out = f"grading time {self.time_limit.what} ran out{checking}"
        return OutOfTime(self.ran_out)

    def _waiter(self, deadline: float | None):
        def wait(fd: int, mode: str) -> None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError
            ready = select.select([fd], [], [], left) if mode == "r" else select.select([], [fd], [], left)
            if not any(ready):
                raise TimeoutError
        return wait

    _last_seq = 0   # the sequence number of the last request: its replies must repeat it

    def _request(self, message: dict, values: dict, deadline: float | None):
        """Every message read here is checked against `limits.reply` before anything is allocated for
        it, and must carry this request's sequence number. Whatever the worker sends that is not a
        well-formed reply to this request (forged, extra, oversized, malformed, undecodable, or sent
        between requests) fails this request as unreadable and replaces the worker, so it never
        becomes a later request's value. No exception but WorkerFailure or the student's own comes
        out of here. (A forged reply that repeats the right number is what the function could have
        returned itself; the true reply behind it then fails the next request.)"""
        wait = self._waiter(deadline)
        self._last_seq += 1
        seq = message["seq"] = self._last_seq
        try:
            if self._reader.pending():
                raise wire.WireError("a message nobody asked for, sent after an earlier reply")
            self._send(message, values, wait)
            reply, arrays = self._reply(seq, wait)
            while reply.get("op") == "callback":
                self._serve_callback(reply, arrays, wait)
                reply, arrays = self._reply(seq, wait)
            warned = reply.get("warnings", [])
            self._warned.update(str(w)[:300] for w in (warned if isinstance(warned, list) else [])[:wire.MAX_WARNINGS])
            op = reply.get("op")
            if op == "ok":
                # a call's return value may be one of its own array arguments (`return x`)
                self.codec.call_values = values if message.get("op") == "call" else None
                try:
                    value = self.codec.decode(reply.get("value"), arrays)
                finally:
                    self.codec.call_values = None
                changed = self.codec.decode(reply.get("after", None), arrays) or []
                if not (type(changed) is list and all(type(c) is list and len(c) == 2 for c in changed)):
                    raise wire.WireError("a malformed list of changed arguments")
            elif op == "unreadable":   # the worker could not encode what the function returned
                why = reply.get("why")
                raise WorkerFailure(unreadable(why[:200] if type(why) is str else "?"))
            elif op != "error" or message.get("op") in _ERRORLESS or (
                    message.get("op") == "lookup" and reply.get("type") != "NameError"):
                raise wire.WireError(f"an unexpected message {str(op)[:40]!r} for a {message.get('op')!r} request")
        except TimeoutError:
            midway = self._reader.midway or bool(self._reader.buffer)
            self.close()
            late = f"timed out after {self.limits.timeout_seconds:g} s"
            raise WorkerFailure(unreadable(f"its reply stopped part way: {late}") if midway else late) from None
        except (EOFError, BrokenPipeError):
            raise WorkerFailure(self._death()) from None
        except WorkerFailure:
            raise
        except Exception as exc:  # noqa: BLE001 - WireError, and RecursionError, MemoryError... from decoding
            self.close()
            why = str(exc) if isinstance(exc, wire.WireError) else f"{type(exc).__name__}: {exc}"
            raise WorkerFailure(unreadable(why[:200])) from None
        if self._callback_errors:
            error, self._callback_errors = self._callback_errors[0], []
            raise error
        if reply["op"] == "error":
            raise _student_exception(reply)
        try:
            for key, new in changed:
                _copy_back(values, key, new)
        except Exception as exc:  # noqa: BLE001 - a forged generator state, say
            self.close()
            raise WorkerFailure(unreadable(f"a changed argument: {type(exc).__name__}")) from None
        return value

    def _reply(self, seq: int, wait) -> tuple[dict, list]:
        def answers_this_request(reply: dict) -> None:
            if type(reply.get("seq")) is not int or reply["seq"] != seq:
                raise wire.WireError("a reply to another request")

        return wire.read_message(self._reader, wait, self.limits.reply, answers_this_request)

    def _send(self, message: dict, values: dict, wait) -> None:
        arrays: list = []
        for key, value in values.items():
            message[key] = self.codec.encode(value, arrays)
        wire.write_message(self._w, message, arrays, wait)

    def _serve_callback(self, message: dict, arrays: list, wait) -> None:
        fn = self._callbacks.get(message["id"])
        if fn is None:   # lent to a check that has ended: the student's call fails there
            self._send({"op": "raise", "message": EXPIRED_CALLBACK}, {}, wait)
            return
        args = self.codec.decode(message.get("args"), arrays)
        kwargs = self.codec.decode(message.get("kwargs"), arrays)
        try:
            result = fn(*args, **kwargs)
        except WorkerFailure:
            raise
        except Exception as exc:  # the grader's own function failed: reported after the call
            self._callback_errors.append(exc)
            self._send({"op": "raise", "message": f"{type(exc).__name__}"}, {}, wait)
            return
        self._send({"op": "return"}, {"value": result}, wait)

    def register_callback(self, fn) -> int:
        """The id the worker calls `fn` back by, valid until the current check scope ends."""
        key = self._callback_ids.get(id(fn))   # fn is held in _callbacks, so its id is not reused
        if key is None:
            key = self._callback_ids[id(fn)] = next(self._callback_numbers)
            self._callbacks[key] = fn
        return key

    def _death(self) -> str:
        proc = self._proc
        try:
            code = proc.wait(timeout=5) if proc else None
        except subprocess.TimeoutExpired:
            code = None
        self.close()
        if code is None:
            return "the process stopped answering"
        if code < 0:
            sig = signal.Signals(-code)
            if sig == signal.SIGXCPU:
                return f"the process used up its CPU time ({self.limits.cpu_seconds} s)"
            if sig == signal.SIGXFSZ:
                return f"the process wrote more than {self.limits.file_bytes // 2**20} MB (printed or to a file)"
            if sig == signal.SIGKILL:
                return "the process was killed (it may have run out of memory)"
            return f"the process crashed ({sig.name})"
        return f"the process exited (exit code {code}): do not call exit() or os._exit() in your code"


# Requests whose handler in the worker raises nothing (an error reply to them is forged); a lookup
# raises only NameError. The trusted step catches only those, so anything else must be "unreadable".
_ERRORLESS = ("load",)


def unreadable(why: str) -> str:
    """What the feedback says when the worker's reply to a call cannot be taken."""
    return f"the function returned something unreadable ({why})"


def _student_exception(reply: dict) -> Exception:
    """The student's exception, rebuilt as the same built-in type where it is one (the checks explain
    NotImplementedError, shape errors and the like), else as StudentError. Never a BaseException
    such as SystemExit: that would stop the grader itself."""
    name, message = str(reply.get("type", "Exception"))[:100], str(reply.get("message", ""))[:500]
    if name == "MemoryError":
        message = "the process ran out of memory" + (f" ({message})" if message else "")
    cls = getattr(builtins, name, None) if reply.get("builtin") else None
    exc = None
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            exc = cls(message)
        except Exception:
            exc = None
    if exc is None:
        exc = StudentError(name, message)
    exc.from_student = True
    exc.student_line = str(reply.get("line", ""))[:200]
    return exc


def _copy_back(values: dict, key, new) -> None:
    """Apply an in-place change the worker made to an argument to the caller's own object."""
    args, kwargs = values.get("args", []), values.get("kwargs", {})
    if type(key) is int:
        target = args[key] if 0 <= key < len(args) else None
    else:
        target = kwargs.get(key) if type(key) is str else None
    if isinstance(target, np.random.Generator) and isinstance(new, dict) and type(new.get("rng_state")) is str:
        target.bit_generator.state = json.loads(new["rng_state"])
    elif isinstance(target, np.ndarray) and isinstance(new, np.ndarray) and target.shape == new.shape \
            and target.flags.writeable:
        np.copyto(target, new, casting="unsafe")


def _module_path() -> list[str]:
    """Where numpy is installed; the interpreter finds its standard library itself. Never this
    project's folder: the worker must not import the grader or its references."""
    return [str(Path(np.__file__).resolve().parents[1])]
