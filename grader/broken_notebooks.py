"""An nbgrader exporter that turns an unreadable submitted notebook into a placeholder, so that one empty
or invalid notebook costs only its own cells instead of the student's whole assignment.

Stock nbgrader reads each submitted notebook with nbformat; an empty (0-byte) or otherwise unreadable
file raises, and nbgrader then removes the student's whole autograded assignment ("Removing failed
assignment"), although the other notebooks were fine. With `c.Autograde.exporter_class =
TolerantNotebookExporter` such a file is read as a placeholder notebook holding one markdown cell that
says why; nbgrader grades it like a notebook with every graded cell deleted (those cells score 0), the
other notebooks are graded as usual, and `grading_status` records the notebook as "invalid" with the
cause. Readable notebooks go through nbconvert's NotebookExporter unchanged.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter

PLACEHOLDER_KEY = "grader_unreadable"  # notebook metadata key holding the cause, on the placeholder only


def invalid_cause(data: bytes) -> str:
    """'' for a readable notebook, else why it is not one: "an empty file" or "not a readable notebook (...)"."""
    if not data.strip():
        return "an empty file"
    try:
        nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as exc:  # noqa: BLE001 (nbformat raises many kinds for unreadable input)
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return f"not a readable notebook ({first[:120]})"
    return ""


def placeholder(cause: str) -> nbformat.NotebookNode:
    """The notebook graded in place of an unreadable one: one markdown cell naming the cause."""
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell(
        f"**This notebook could not be read when it was graded: {cause}.** Its graded cells score 0; "
        "the other notebooks of the assignment were graded as usual.", id="grader-unreadable"))
    nb.metadata[PLACEHOLDER_KEY] = cause
    return nb


def _submitted_parts(filename: str, submitted_dir: str) -> tuple[str, str, str] | None:
    """(student, assignment, notebook) of <root>/<submitted>/<student>/<assignment>/<notebook>.ipynb."""
    path = Path(filename).resolve()
    if len(path.parts) < 4 or path.parts[-4] != submitted_dir:
        return None
    return path.parts[-3], path.parts[-2], path.stem


class TolerantNotebookExporter(NotebookExporter):
    """NotebookExporter whose `from_filename` reads an unreadable notebook as `placeholder(cause)`."""

    def from_filename(self, filename, resources=None, **kw):
        with open(filename, "rb") as f:
            cause = invalid_cause(f.read())
        if not cause:
            return super().from_filename(filename, resources=resources, **kw)
        self.log.warning("%s: %s; graded as a notebook without answers (its cells score 0)", filename, cause)
        self._record(filename, cause)
        # The resources nbconvert's Exporter.from_filename would have set.
        if resources is None:
            resources = {}
        resources.setdefault("metadata", {})
        path, basename = os.path.split(filename)
        resources["metadata"]["name"] = os.path.splitext(basename)[0]
        resources["metadata"]["path"] = path
        modified = datetime.datetime.fromtimestamp(os.path.getmtime(filename), tz=datetime.timezone.utc)
        resources["metadata"]["modified_date"] = modified.strftime("%B %-d, %Y")
        return self.from_notebook_node(placeholder(cause), resources=resources, **kw)

    def _record(self, filename: str, cause: str) -> None:
        coursedir = getattr(self.parent, "coursedir", None)
        if coursedir is None:
            return
        parts = _submitted_parts(filename, coursedir.submitted_directory)
        if parts is None:
            return
        from . import grading_status

        student, assignment, notebook = parts
        grading_status.record(coursedir.db_url, assignment, student, "invalid", notebook=notebook, cause=cause)
