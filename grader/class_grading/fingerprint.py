"""What a worker and the coordinator must agree on before a student is graded: the course and the grader.

fingerprint = sha256 over (course.yaml, nbgrader_config.py, every file under solutions/) and over every
source file of the installed `grader` package, plus nbgrader's version. Two processes with equal
fingerprints grade a submission the same way; a worker with another grader or course refuses the task.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import grader

COURSE_PARTS = ("course.yaml", "nbgrader_config.py")


def _digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()


def course_hash(files: dict[str, bytes]) -> str:
    """Hash of the course as a bundle holds it (relative path -> bytes): course.yaml,
    nbgrader_config.py and solutions/ only (the release and the gradebook template follow from them)."""
    return _digest({k: v for k, v in files.items() if k in COURSE_PARTS or k.startswith("solutions/")})


def grader_hash() -> str:
    """Hash of the `grader` package this process imports (its .py, .yaml, .tpl and .json files, as they are
    on disk now) and nbgrader's version. Not cached: a long-lived worker or coordinator whose installation
    is updated must notice (about 20 ms)."""
    import nbgrader

    root = Path(grader.__file__).parent
    files = {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*")
             if p.is_file() and p.suffix in (".py", ".yaml", ".tpl", ".json") and "__pycache__" not in p.parts}
    files["nbgrader-version"] = nbgrader.__version__.encode()
    return _digest(files)


def fingerprint(course_files: dict[str, bytes]) -> str:
    """The version both sides compare: 'course:<12 hex>/grader:<12 hex>'."""
    return f"course:{course_hash(course_files)[:12]}/grader:{grader_hash()[:12]}"
