"""Courses and submissions as plain bytes, so no shared file system is assumed between machines.

A bundle is a dict relative path (POSIX) -> file bytes. `course_bundle` also carries a template
gradebook: the assignment's structure (notebooks, graded cells, sources, due date) without students.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

COURSE_FILES = ("course.yaml", "nbgrader_config.py", "solutions", "assignments")
TEMPLATE_DB = "gradebook.db"
SKIP_PARTS = {".ipynb_checkpoints", "__pycache__"}


def read_tree(root: Path) -> dict[str, bytes]:
    """Every regular file under `root` (symlinks are not followed), as relative path -> bytes."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_PARTS)
        for name in sorted(filenames):
            path = Path(dirpath, name)
            if path.is_file() and not path.is_symlink():
                out[path.relative_to(root).as_posix()] = path.read_bytes()
    return out


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Write a bundle under `root`; a path that would leave `root` is refused."""
    base = root.resolve()
    for rel, data in files.items():
        dest = (base / rel).resolve()
        if base not in dest.parents:
            raise ValueError(f"bundle path {rel!r}: expected a relative path inside the folder")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)


def course_files(course_root: Path) -> dict[str, bytes]:
    """course.yaml, nbgrader_config.py, solutions/ and assignments/ of a course, as bytes."""
    files = {}
    for name in COURSE_FILES:
        src = course_root / name
        if src.is_dir():
            files.update({f"{name}/{k}": v for k, v in read_tree(src).items()})
        elif src.is_file():
            files[name] = src.read_bytes()
    return files


def submission_files(course_root: Path, student: str, assignment: str) -> dict[str, bytes]:
    """The student's folder submitted/<student>/<assignment>/ (notebooks, timestamp.txt, other files)."""
    return read_tree(course_root / "submitted" / student / assignment)


def content_hash(files: dict[str, bytes]) -> str:
    """sha256 of a submission bundle: names and contents, order-independent."""
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return h.hexdigest()
