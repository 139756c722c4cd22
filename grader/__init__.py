"""Autograding for CS231n lecture 3 on real nbgrader: course config, checks and nbgrader integration.

Hidden test cells call `grade("<test grade_id>", answer)`.
"""


def grade(grade_id: str, answer) -> float:
    from .grading import grade as _grade  # imports numpy and Hypothesis only when grading

    return _grade(grade_id, answer)


__all__ = ["grade"]
