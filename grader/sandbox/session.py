"""The trusted side of the worker: starts it, sends requests, serves its callbacks, enforces deadlines.

A session holds one notebook's student code. If the worker times out, dies or breaks the protocol,
the answer being called is marked failed for the rest of the session (its later calls fail at once
with the same message, so one infinite loop costs one timeout), and the next request starts a fresh
worker with the same cells.
"""

from __future__ import annotations

import ast
import builtins
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

from . import worker as wire

WORKER_SOURCE = Path(wire.__file__).read_text(encoding="utf-8")
# What an answer may import, loaded before the worker's file system is emptied: numpy and the usual
# standard library always; the heavier modules below only when the worker's cells import them (or a
# package of theirs): scipy's special functions (logsumexp), linear algebra and image filters, and
# matplotlib.colors, which CS231n's feature code uses.
PRELOAD = ["numpy", "numpy.linalg", "numpy.random", "numpy.fft", "math", "cmath", "random", "itertools",
           "functools", "collections", "operator", "heapq", "bisect", "copy", "time", "re", "string",
           "statistics", "warnings", "colorsys", "dataclasses", "typing", "traceback", "ctypes", "socket",
           "encodings.idna"]
PRELOAD_WHEN_IMPORTED = ["scipy.special", "scipy.linalg", "scipy.ndimage", "scipy.signal", "matplotlib.colors",
                         "fractions", "decimal", "json", "struct", "array"]


def modules_to_preload(cells: list[tuple[str, str]]) -> list[str]:
    named = set()
    for _, source in cells:
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                named.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                named.add(node.module)
                named.update(f"{node.module}.{alias.name}" for alias in node.names)
    wanted = [m for m in PRELOAD_WHEN_IMPORTED
              if any(m == n or m.startswith(n + ".") or n.startswith(m + ".") for n in named)]
    return PRELOAD + wanted


class WorkerFailure(Exception):
    """The worker timed out, died or sent something unreadable: what happened, in words."""


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
        self._callbacks: dict[int, object] = {}
        self._callback_errors: list[BaseException] = []
        self._output = tempfile.TemporaryFile(mode="w+b")
        self._output_read = 0
        from .proxies import TrustedCodec

        self.codec = TrustedCodec(self)

    # -- process -------------------------------------------------------------------------------

    def _start(self) -> None:
        to_worker_r, to_worker_w = os.pipe()
        from_worker_r, from_worker_w = os.pipe()
        self._workdir = tempfile.TemporaryDirectory(prefix="worker-")
        os.chmod(self._workdir.name, 0o777)  # its root, or where there are no namespaces, its working folder
        config = {
            "path": _module_path(), "fds": [to_worker_r, from_worker_w], "preload": modules_to_preload(self.cells),
            "root": self._workdir.name, "uid": os.getuid(), "gid": os.getgid(),
            "limits": {"RLIMIT_AS": self.limits.memory_bytes, "RLIMIT_CPU": self.limits.cpu_seconds,
                       "RLIMIT_FSIZE": self.limits.file_bytes, "RLIMIT_CORE": 0,
                       "RLIMIT_NPROC": self.limits.processes},
        }
        # The whole environment is this one: a fixed hash seed keeps the student's set and dict orders,
        # and so the grades, the same from run to run.
        env = {"PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "HOME": self._workdir.name, "TMPDIR": self._workdir.name}
        # -S -s: no site-packages .pth files (the editable install of this project) and no user site;
        # -P: neither the working folder nor a script's folder goes on the module path.
        self._proc = subprocess.Popen(
            [sys.executable, "-S", "-s", "-P", "-u", "-c", WORKER_SOURCE + "\nmain()\n", json.dumps(config)],
            pass_fds=(to_worker_r, from_worker_w), stdin=subprocess.DEVNULL, stdout=self._output,
            stderr=subprocess.STDOUT, cwd=self._workdir.name, env=env, start_new_session=True)
        os.close(to_worker_r)
        os.close(from_worker_w)
        self._w, self._r = to_worker_w, from_worker_r
        self._reader = wire.Reader(from_worker_r)
        os.set_blocking(self._w, False)
        os.set_blocking(self._r, False)
        self.generation += 1
        self.instances = {}
        deadline = time.monotonic() + max(30.0, self.limits.timeout_seconds)
        message, _ = wire.read_message(self._reader, self._waiter(deadline))
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
                                       deadline=time.monotonic() + self.limits.timeout_seconds)
            except WorkerFailure as exc:
                # A cell that never finishes loading, or ends the process, is left out from now on.
                self._unloadable[index] = str(exc)
                self.close()
                return self._start()
            self.load_errors += [tuple(x) for x in failed]

    def close(self) -> None:
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._proc.wait()
            for fd in (self._w, self._r):
                os.close(fd)
            self._workdir.cleanup()
            self._proc = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        self._output.close()

    def ensure_started(self) -> None:
        if self._proc is None:
            try:
                self._start()
            except (WorkerFailure, EOFError, wire.WireError, OSError) as exc:
                self.close()
                raise WorkerFailure(f"the worker could not start: {exc}") from None

    def printed(self) -> str:
        """What the student's code printed since the last time this was asked."""
        self._output.seek(self._output_read)
        data = self._output.read()
        self._output_read += len(data)
        return data.decode("utf-8", "replace")

    # -- requests ------------------------------------------------------------------------------

    def request(self, message: dict, values: dict | None = None, *, answer: str = ""):
        """Send one request and return the decoded value; student exceptions are re-raised here."""
        if answer in self.failed:
            raise WorkerFailure(self.failed[answer])
        self.ensure_started()
        self.current_answer = answer or self.current_answer
        try:
            return self._request(message, values or {}, deadline=time.monotonic() + self.limits.timeout_seconds)
        except WorkerFailure as exc:
            if answer:
                self.failed[answer] = str(exc)
            raise

    def _waiter(self, deadline: float | None):
        def wait(fd: int, mode: str) -> None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError
            ready = select.select([fd], [], [], left) if mode == "r" else select.select([], [fd], [], left)
            if not any(ready):
                raise TimeoutError
        return wait

    def _request(self, message: dict, values: dict, deadline: float | None):
        wait = self._waiter(deadline)
        try:
            self._send(message, values, wait)
            reply, arrays = wire.read_message(self._reader, wait)
            while reply.get("op") == "callback":
                self._serve_callback(reply, arrays, wait)
                reply, arrays = wire.read_message(self._reader, wait)
            if reply.get("op") == "ok":
                value = self.codec.decode(reply.get("value"), arrays)
                changed = self.codec.decode(reply.get("after", None), arrays) or []
            elif reply.get("op") != "error":
                raise wire.WireError(f"an unexpected message {reply.get('op')!r}")
        except TimeoutError:
            self.close()
            raise WorkerFailure(f"timed out after {self.limits.timeout_seconds:g} s") from None
        except (EOFError, BrokenPipeError):
            raise WorkerFailure(self._death()) from None
        except (wire.WireError, KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            self.close()
            raise WorkerFailure(f"the worker sent something unreadable ({exc})") from None
        if self._callback_errors:
            error, self._callback_errors = self._callback_errors[0], []
            raise error
        if reply["op"] == "error":
            raise _student_exception(reply)
        for key, new in changed:
            _copy_back(values, key, new)
        return value

    def _send(self, message: dict, values: dict, wait) -> None:
        arrays: list = []
        for key, value in values.items():
            message[key] = self.codec.encode(value, arrays)
        wire.write_message(self._w, message, arrays, wait)

    def _serve_callback(self, message: dict, arrays: list, wait) -> None:
        fn = self._callbacks[message["id"]]
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
        key = id(fn)
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


def _student_exception(reply: dict) -> Exception:
    """The student's exception, rebuilt as the same built-in type where it is one (the checks explain
    NotImplementedError, shape errors and the like), else as StudentError. Never a BaseException
    such as SystemExit: that would stop the grader itself."""
    name, message = str(reply.get("type", "Exception")), str(reply.get("message", ""))
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
    target = args[key] if isinstance(key, int) and key < len(args) else kwargs.get(key)
    if isinstance(target, np.random.Generator) and isinstance(new, dict) and "rng_state" in new:
        target.bit_generator.state = json.loads(new["rng_state"])
    elif isinstance(target, np.ndarray) and isinstance(new, np.ndarray) and target.shape == new.shape \
            and target.flags.writeable:
        np.copyto(target, new, casting="unsafe")


def _module_path() -> list[str]:
    """Where numpy is installed; the interpreter finds its standard library itself. Never this
    project's folder: the worker must not import the grader or its references."""
    return [str(Path(np.__file__).resolve().parents[1])]
