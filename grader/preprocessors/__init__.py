"""nbgrader preprocessors of this project, one per file, configured from nbgrader_config.py."""

from .apply_course_points import ApplyCoursePoints

__all__ = ["ApplyCoursePoints"]
