"""Run `nbgrader ...` in a fresh process that starts with nbgrader and the grader already imported.

Importing nbgrader, its Jupyter stack and the grader costs about 4.5 s of CPU per process, and what
grading then imports lazily and caches another 2.5 s; serial `nbgrader autograde` pays both once per
class, but a run per student would pay them per student (about a quarter of a student's grading).
The standard library's forkserver, preloaded with those modules, forks each run
from a process that has imported them: every student still gets a new process of its own (its own
nbgrader app, config, kernel and grading worker), without the imports.

The forkserver belongs to the Dask worker process that started it and exits with it. Where a process
may not have children of its own (a daemonic Dask worker under a nanny), `run` returns None and the
caller falls back to starting the `nbgrader` command.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

# The last warms what grading imports lazily and caches (see preload): the forkserver imports these once.
PRELOAD = ["nbgrader.apps.nbgraderapp", "grader.nbgrader_setup", "grader.preprocessors", "grader.grading",
           "grader.class_grading.preload"]
_context = None
last_cpu_seconds: float | None = None  # CPU seconds of the last run (nbgrader and what it waited for)


def _ctx():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(PRELOAD)
    return _context


def _main(cwd: str, argv: list[str], env: dict[str, str], log_path: str) -> None:
    """In the forked child: become `nbgrader <argv>` in `cwd`, writing its output to `log_path`."""
    import ctypes
    import signal

    os.setsid()  # a Ctrl-C at the coordinator's terminal is the coordinator's to handle
    try:  # die with the forkserver (and so with the Dask worker) if it is killed
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, int(signal.SIGKILL))
    except OSError:
        pass
    fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.argv = ["nbgrader", *argv]
    from nbgrader.apps.nbgraderapp import main

    try:
        main()
    finally:  # CPU of this run: nbgrader, and the kernels and grading workers it waited for
        import resource

        used = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                   for f in ("ru_utime", "ru_stime"))
        Path(log_path + ".cpu").write_text(f"{used:.3f}", encoding="utf-8")


def run(cwd: Path, argv: list[str], env: dict[str, str]) -> tuple[int, str] | None:
    """(exit code, combined output) of `nbgrader <argv>` run in `cwd` with environment `env`, or None
    when this process cannot start children through multiprocessing."""
    global last_cpu_seconds
    last_cpu_seconds = None
    if multiprocessing.current_process().daemon:
        return None
    log_path = Path(cwd) / ".nbgrader-run.log"
    proc = _ctx().Process(target=_main, args=(str(cwd), argv, env, str(log_path)), name="nbgrader")
    proc.start()
    proc.join()
    output = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    log_path.unlink(missing_ok=True)
    cpu_path = Path(f"{log_path}.cpu")
    last_cpu_seconds = float(cpu_path.read_text()) if cpu_path.exists() else None
    cpu_path.unlink(missing_ok=True)
    code = proc.exitcode if proc.exitcode is not None else -1
    return code, output
