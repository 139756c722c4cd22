"""The student's kernel during `nbgrader autograde`, started in a container of its own.

The kernel no longer decides a grade (TrustedGrading does), but it still runs the student's code.
`ContainedKernelManager` starts it through kernel_container.py: its own root file system (no course,
no gradebook, no other student, no instructor's home), no network but its own loopback, its own PID
namespace (everything it starts dies with it), its own user and the course's limits. Because the
kernel has no network, it talks to nbgrader over Unix sockets (Jupyter's `ipc` transport) in a folder
that is the only thing both sides see.

`ContainedExecute` is nbgrader's Execute with that kernel manager. A kernel that dies (os._exit, a
limit) or stops answering (an interrupt it ignores) no longer fails the whole notebook: it is stopped,
the rest of the notebook is not run in it, and the trusted step still grades every test cell.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Integer, List, Unicode

LAUNCHER = Path(__file__).with_name("kernel_container.py")
STATUS_WAIT_SECONDS = 10


class ContainedKernelManager(AsyncKernelManager):
    """Starts each kernel in a fresh container (see kernel_container.py); nbgrader_setup sets the limits
    and data mounts from course.yaml."""

    memory_mb = Integer(4096, help="the kernel's address space, per process").tag(config=True)
    processes = Integer(256, help="processes and threads the kernel may run at once").tag(config=True)
    cpu_seconds = Integer(600, help="CPU time of the kernel process").tag(config=True)
    file_mb = Integer(64, help="largest file the kernel may write").tag(config=True)
    disk_mb = Integer(512, help="the kernel's private file system (/tmp, HOME, its notebook folder)").tag(config=True)
    data_mounts = List(help="[course path, path inside the notebook folder]: read-only data for the kernel"
                       ).tag(config=True)
    home = Unicode("/home/student", help="the kernel's HOME inside its container").tag(config=True)

    _base: Path | None = None
    container_status: dict | None = None

    async def _async_pre_start_kernel(self, **kw):
        self._remove_base()
        self._base = Path(tempfile.mkdtemp(prefix="kernel-"))
        for name in ("run", "root", "home"):
            (self._base / name).mkdir()
        # Unix sockets in the one shared folder: the kernel has no network to reach nbgrader through.
        self.transport = "ipc"
        self.cache_ports = False
        self.connection_file = str(self._base / "run" / "kernel.json")
        self.ip = str(self._base / "run" / "kernel")
        self.container_status = None
        cwd = Path(kw.get("cwd") or ".").resolve()
        self._settings = {
            "status": str(self._base / "status.json"), "runtime": str(self._base / "run"),
            "root": str(self._base / "root"), "fallback_home": str(self._base / "home"),
            "home": self.home, "workdir": f"{self.home}/{cwd.name or 'work'}",
            "mounts": [list(m) for m in self.data_mounts], "readonly": python_paths(),
            "limits": {"memory_mb": self.memory_mb, "processes": self.processes, "cpu_seconds": self.cpu_seconds,
                       "file_mb": self.file_mb, "disk_mb": self.disk_mb}}
        (self._base / "settings.json").write_text(json.dumps(self._settings))
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        return [sys.executable, "-I", str(LAUNCHER), str(self._base / "settings.json"), "--", *command]

    def read_container_status(self) -> dict:
        """What the launcher applied, or why it could not. The launcher writes it before the kernel can
        answer, so once the kernel is ready it is there (a short wait covers the launcher's last write)."""
        if self.container_status is None and self._base is not None:
            status = self._base / "status.json"
            deadline = time.monotonic() + STATUS_WAIT_SECONDS
            while not status.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
            try:
                self.container_status = json.loads(status.read_text())
            except (OSError, ValueError):
                self.container_status = {"unknown": "the launcher wrote no status"}
        return self.container_status or {}

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_base()

    def _remove_base(self) -> None:
        # Removed when the kernel is shut down, never left to the garbage collector.
        if self._base is not None:
            shutil.rmtree(self._base, ignore_errors=True)
            self._base = None


def python_paths() -> list[str]:
    """The Python installation the kernel runs (the environment and the interpreter it was made from)."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    return sorted(p for p in paths if p and Path(p).is_dir())


def limits_text(km: ContainedKernelManager) -> str:
    return (f"{km.memory_mb} MB of memory, {km.processes} processes, {km.cpu_seconds} s of CPU, "
            f"{km.file_mb} MB per file")


class ContainedExecute(Execute):
    """nbgrader's Execute, with the kernel in its container. One warning per run (per nbgrader process)
    when the system refuses the container."""

    _warned = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", ContainedKernelManager)
        super().__init__(*args, **kwargs)
        self._kernel_stopped = None

    def preprocess(self, nb, resources=None, km=None):
        self._kernel_stopped = None
        try:
            return super().preprocess(nb, resources, km)
        except Exception as exc:    # noqa: BLE001 (the trusted step grades without the kernel)
            # A kernel that would not start or shut down: the notebook keeps what ran, and is graded.
            status = self.km.read_container_status() if isinstance(self.km, ContainedKernelManager) else {}
            why = f"its container could not be made: {status['refused']}" if "refused" in status else \
                f"{type(exc).__name__}: {str(exc)[:300]}"
            self.log.warning("The kernel failed (%s); the notebook is graded without it", why)
            return nb, resources

    def start_new_kernel_client(self):
        kc = super().start_new_kernel_client()
        status = self.km.read_container_status() if isinstance(self.km, ContainedKernelManager) else {}
        if "refused" in status and not ContainedExecute._warned:
            ContainedExecute._warned = True
            self.log.warning(
                "The student's kernel is NOT contained (%s): it can read what this user can read (the "
                "solutions, the gradebook, other students' work) and reach the network. Grade as root or "
                "where unprivileged user namespaces are allowed; see the README's threat model.",
                status["refused"])
        elif "unknown" in status:
            self.log.warning("Could not confirm the student's kernel's container: %s", status["unknown"])
        return kc

    def preprocess_cell(self, cell, resources, index):
        if self._kernel_stopped:
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._stop(cell, index, "DeadKernelError", "the kernel died while running this cell: the code "
                       f"called os._exit or went over a limit ({limits_text(self.km)})")
            return cell, resources
        except CellTimeoutError:
            # nbclient interrupted the cell at its time limit and got no answer: the code ignores SIGINT.
            if self._responds():
                cell.setdefault("outputs", []).append(NotebookNode(output_type="error", **self.error_on_timeout))
            else:
                self._stop(cell, index, "UnresponsiveKernel", "the cell ran past its time limit and the kernel "
                           "ignored the interrupt; it was stopped")
            return cell, resources
        except Exception as exc:    # noqa: BLE001 (a kernel that breaks its protocol costs only itself)
            # The detail (a bad signature, a thread it could not start) goes to the log, never into the
            # feedback, whose text must not change between runs.
            self.log.warning("Cell %d: the kernel failed: %s: %s", index, type(exc).__name__, str(exc)[:300])
            self._stop(cell, index, "KernelFailure", "the kernel stopped answering properly while running this "
                       f"cell (did the code exhaust a limit: {limits_text(self.km)}?); it was stopped")
            return cell, resources
        if self._timed_out(cell) and not self._responds():
            self._stop(cell, index, "UnresponsiveKernel", "the cell ran past its time limit and the kernel "
                       "ignored the interrupt; it was stopped")
        return cell, resources

    def _timed_out(self, cell) -> bool:
        return any(o.get("output_type") == "error" and o.get("ename") == self.error_on_timeout.get("ename")
                   for o in cell.get("outputs", []))

    def _responds(self, seconds: float = 5) -> bool:
        """After an interrupt: does the kernel answer a kernel_info request? A kernel still running the
        student's loop does not."""
        async def ask() -> bool:
            try:
                msg_id = self.kc.kernel_info()
                deadline = time.monotonic() + seconds
                while time.monotonic() < deadline:
                    reply = await self.kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
                    if reply.get("parent_header", {}).get("msg_id") == msg_id:
                        return True
            except Exception:      # noqa: BLE001 (no reply in time, or the kernel is gone)
                return False
            return False

        from jupyter_core.utils import run_sync

        return run_sync(ask)()

    def _stop(self, cell, index: int, ename: str, why: str) -> None:
        self._kernel_stopped = why
        self.log.warning("Cell %d: %s; the rest of the notebook is graded without the kernel", index, why)
        cell.setdefault("outputs", []).append(NotebookNode(
            output_type="error", ename=ename, evalue=why,
            traceback=[f"{ename}: {why}. The rest of the notebook was not run; every test cell is still "
                       "graded from your answer cells."]))
        if ename != "DeadKernelError":
            from jupyter_core.utils import run_sync

            run_sync(self.km.shutdown_kernel)(now=True)
