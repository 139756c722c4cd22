"""Submissions are data, not links: what in `submitted/<student>/<assignment>/` nbgrader must not follow.

nbgrader copies a submission's files with `shutil.copy`, which follows symbolic links, and reads its
notebooks by path. A link to `../../../solutions/...` would get the instructor's solution graded as the
student's work, and a link to the gradebook or a peer's notebook would be copied into `autograded/` and
`feedback/`, and so handed back to the student. A hard link to a file outside the submission does the
same without a link to see, and a FIFO or device file can block or feed the copy.

`refusals` finds such submissions before nbgrader starts (nbgrader_setup excludes them from the run
with one line each); nothing in them is opened, followed or copied.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from pathlib import Path


def submission_problem(folder: Path, shown: str) -> str | None:
    """Why the submission in `folder` is refused, in one line naming the file (as `shown`/...), or None."""
    if folder.is_symlink():
        return f"{shown} is a symbolic link; a submission must be a plain folder"
    if not folder.is_dir():
        return None
    inodes: Counter = Counter()
    linked: dict[tuple[int, int], tuple[str, int]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames) + sorted(filenames):
            path = Path(dirpath) / name
            rel = f"{shown}/{path.relative_to(folder)}"
            st = path.lstat()
            if stat.S_ISLNK(st.st_mode):
                return f"{rel} is a symbolic link (to {os.readlink(path)!r}); a submission must hold plain files"
            if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
                return f"{rel} is a {_kind(st.st_mode)}; a submission must hold plain files"
            if stat.S_ISREG(st.st_mode) and st.st_nlink > 1:
                inodes[(st.st_dev, st.st_ino)] += 1
                linked[(st.st_dev, st.st_ino)] = (rel, st.st_nlink)
    for key, (rel, links) in sorted(linked.items(), key=lambda item: item[1][0]):
        if inodes[key] < links:
            return f"{rel} is a hard link to a file outside the submission; a submission must hold its own files"
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device file"
    return "special file"


def student_problem(course_root: Path, student: str, assignment: str, submitted: str = "submitted") -> str | None:
    """Why `submitted/<student>/<assignment>` is refused (the student's folder included), or None."""
    student_dir = course_root / submitted / student
    if student_dir.is_symlink():
        return f"{submitted}/{student} is a symbolic link; a submission must be a plain folder"
    return submission_problem(student_dir / assignment, f"{submitted}/{student}/{assignment}")


def refusals(course_root: Path, assignment: str, submitted: str = "submitted") -> dict[str, str]:
    """student id -> the one-line reason their submission of `assignment` is refused."""
    base = course_root / submitted
    if not base.is_dir():
        return {}
    found = {d.name: student_problem(course_root, d.name, assignment, submitted) for d in sorted(base.iterdir())}
    return {student: why for student, why in found.items() if why}
