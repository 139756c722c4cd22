# nbgrader reads this file from the repository root. Everything it sets comes from course.yaml.
from pathlib import Path

from grader.nbgrader_setup import configure

configure(get_config(), Path(__file__).with_name("course.yaml"))  # noqa: F821 (get_config is nbgrader's)
