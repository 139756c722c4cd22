"""The student's kernel during `nbgrader autograde`, started with the course read-only.

The kernel no longer decides a grade (TrustedGrading does), but it still runs the student's code
with nbgrader's rights: without this, an answer cell could rewrite the gradebook, the solutions or
the grader itself. `ReadOnlyCourseExecute` is nbgrader's Execute with a kernel manager that starts
the kernel through readonly_launcher.py.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute

from ..grading import COURSE_ENV

LAUNCHER = Path(__file__).with_name("readonly_launcher.py")


class ReadOnlyCourseKernelManager(AsyncKernelManager):
    def format_kernel_cmd(self, extra_arguments=None) -> list[str]:
        command = super().format_kernel_cmd(extra_arguments)
        course_file = os.environ.get(COURSE_ENV)
        if not course_file:
            return command
        return [sys.executable, "-I", str(LAUNCHER), str(Path(course_file).parent), "--", *command]


class ReadOnlyCourseExecute(Execute):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", ReadOnlyCourseKernelManager)
        super().__init__(*args, **kwargs)
