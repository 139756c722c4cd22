"""Grading a whole class on Dask: `grader autograde`.

One Dask task per student. The coordinator (`runner`) packs the course and each submission as bytes
(`bundle`), a worker grades the student with real `nbgrader autograde` in a private scratch copy of the
course with its own gradebook (`task`), and returns the graded notebooks and gradebook records as plain
data; the coordinator alone writes them into the course's gradebook and `autograded/` (`store`).
"""
