"""nbgrader preprocessors of this project, one per file, configured from nbgrader_config.py."""

from .apply_course_points import ApplyCoursePoints
from .hold_back_tests import HoldBackTests
from .trusted_grading import TrustedGrading

__all__ = ["ApplyCoursePoints", "HoldBackTests", "TrustedGrading"]
