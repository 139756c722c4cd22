"""The student's kernel during `nbgrader autograde`, started on a read-only file system.

The kernel no longer decides a grade (TrustedGrading does), but it still runs the student's code with
nbgrader's rights: without this, an answer cell could rewrite the gradebook, the solutions or the
grader itself, or leave files for a later step. `ReadOnlyExecute` is nbgrader's Execute with a kernel
manager that starts the kernel through readonly_launcher.py. A kernel that dies (os._exit in an answer
cell) no longer fails the whole notebook: the rest of it is not run in the kernel, and the trusted step
still grades every test cell.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute

LAUNCHER = Path(__file__).with_name("readonly_launcher.py")


class ReadOnlyKernelManager(AsyncKernelManager):
    _home: tempfile.TemporaryDirectory | None = None

    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        # An empty folder for the kernel's private home (a tmpfs the launcher mounts on it).
        self._remove_home()
        self._home = tempfile.TemporaryDirectory(prefix="kernel-home-", ignore_cleanup_errors=True)
        return [sys.executable, "-I", str(LAUNCHER), self._home.name, "--", *command]

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._remove_home()

    def _remove_home(self) -> None:
        # Removed explicitly when the kernel is shut down, never left to the garbage collector: its
        # "Implicitly cleaning up" ResourceWarning, with a temporary path, would fire at a random
        # moment, perhaps while the next notebook is being graded.
        if self._home is not None:
            self._home.cleanup()
            self._home = None


class ReadOnlyExecute(Execute):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", ReadOnlyKernelManager)
        super().__init__(*args, **kwargs)
        self._kernel_died = False

    def preprocess(self, nb, resources=None, km=None):
        self._kernel_died = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if self._kernel_died:
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._kernel_died = True
            self.log.warning("The kernel died in cell %d; the rest of the notebook is graded without it", index)
            cell.setdefault("outputs", []).append(NotebookNode(
                output_type="error", ename="DeadKernelError", evalue="the kernel died while running this cell",
                traceback=["DeadKernelError: the kernel died while running this cell (did the code call os._exit?)"]))
            return cell, resources
