"""Keeps the hidden tests away from the student's kernel during `nbgrader autograde`.

Runs before Execute. Every autograded test cell's code is replaced by a comment, so the kernel (which
belongs to the student) never sees a hidden test, cannot tamper with it, and cannot fake its output;
TrustedGrading writes each test cell's outcome after the kernel is done. The autograded notebook, and
so the feedback, keeps the comment, not the hidden test.
"""

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

HELD_BACK = "# Hidden tests: run by the grader outside your kernel. The outcome is below.\n"


def is_autograded_test(cell: NotebookNode) -> bool:
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


class HoldBackTests(NbGraderPreprocessor):
    placeholder = Unicode(HELD_BACK, help="What a test cell shows in place of its hidden tests").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if is_autograded_test(cell):
            cell.source = self.placeholder
            cell.outputs = []
        return cell, resources
