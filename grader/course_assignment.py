"""Which assignment of course.yaml a command works on: the one it names, or the course's only one.

No command carries an assignment's name of its own: a course renames or adds an assignment in
course.yaml alone. Every problem is a `CourseConfigError` (one line, naming the file), which the
command line prints as `error: ...`.
"""

from __future__ import annotations

from .course import Course, CourseConfigError

ASSIGNMENT_HELP = "one of course.yaml's assignments (default: its only one)"


def only_assignment(course: Course, otherwise: str = "name one") -> str:
    """The name of the course's one assignment; with several, an error that ends with `otherwise`
    (what to do instead)."""
    names = list(course.assignments)
    if len(names) == 1:
        return names[0]
    raise CourseConfigError(f"{course.path.name}: assignments: several assignments ({', '.join(names)}); "
                            f"{otherwise}")


def known_assignment(course: Course, name: str) -> str:
    """`name`, if course.yaml lists it."""
    if name not in course.assignments:
        raise CourseConfigError(f"{course.path.name}: assignments: no {name!r}; expected one of "
                                f"{', '.join(course.assignments)}")
    return name


def chosen_assignment(course: Course, name: str | None, command: str) -> str:
    """The assignment `grader <command> [assignment]` works on: `name`, or the course's only one."""
    if name is None:
        return only_assignment(course, f"name one: grader {command} <assignment>")
    return known_assignment(course, name)
