"""Writes course.yaml's points into each graded cell before nbgrader records the assignment.

Runs first in `GenerateAssignment.preprocessors`, so the gradebook and the release carry the points
of course.yaml, the one place where points are set.
"""

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..course import CourseConfigError, load_course


class ApplyCoursePoints(NbGraderPreprocessor):
    course_file = Unicode("course.yaml", help="Path of the course.yaml that sets every cell's points").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict) -> tuple[NotebookNode, dict]:
        course = load_course(self.course_file, check_notebooks=False)
        assignment = resources["nbgrader"]["assignment"]
        name = resources["nbgrader"]["notebook"]
        try:
            points = course.assignments[assignment].notebooks[name].graded_cells
        except KeyError:
            raise CourseConfigError(
                f"course.yaml: assignments.{assignment}.notebooks: expected an entry for notebook '{name}'") from None
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade"):
                grade_id = meta.get("grade_id")
                if grade_id not in points:
                    raise CourseConfigError(
                        f"course.yaml: assignments.{assignment}.notebooks.{name}.tasks: "
                        f"expected a task listing the graded cell '{grade_id}'")
                meta["points"] = points[grade_id]
        return nb, resources
