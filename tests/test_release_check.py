"""The release guard across notebooks: no released cell holds another notebook's graded answer.

Each rule is shown failing on a small course built in a temporary folder, and the committed release is
shown passing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader.release_check import cross_notebook_leaks, graded_answers, release_leaks

REPO = Path(__file__).resolve().parents[1]

ANSWER = '''def centered_slope(f, x, h=1e-5):
    """The centered difference of f at x."""
    ### BEGIN SOLUTION
    upper = f(x + h)          # one step up
    lower = f(x - h)
    slope = (upper - lower) / (2 * h)
    scaled = np.clip(slope * np.ones_like(x), -1e6, 1e6)
    return scaled
    ### END SOLUTION
'''

# The same answer as an instructor might paste it into another notebook: other names, spacing, comments.
COPIED = '''def provided_slope(g, x, h=1e-5):
    a = g(x+h)
    b = g(x-h)  # below
    s = (a-b)/(2*h)
    return np.clip(s*np.ones_like(x), -1e6, 1e6)
'''


def _cell(source: str, grade_id: str | None = None, *, solution=False, grade=False, cell_id=None, markdown=False):
    cell = new_markdown_cell(source) if markdown else new_code_cell(source)
    if grade_id is not None:
        cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": not solution,
                                     "schema_version": 3, "solution": solution, "task": False}
        if grade:
            cell.metadata["nbgrader"]["points"] = 1
    cell.id = cell_id or (grade_id or "cell").replace("_", "-")
    return cell


def _write(path: Path, cells) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), path)


def small_course(tmp_path: Path, helper_source: str, *, graded=True, markdown=False) -> Path:
    """Notebook `slopes` grades centered_slope; notebook `training` has a read-only helper cell."""
    test = _cell("### BEGIN HIDDEN TESTS\nfrom grader import grade\ngrade(\"centered_slope-values\", centered_slope)\n"
                 "### END HIDDEN TESTS", "centered_slope-values", grade=True)
    slopes = [_cell("import numpy as np", "setup"), _cell(ANSWER, "centered_slope", solution=True)]
    slopes += [test] if graded else []
    released_slopes = [_cell("import numpy as np", "setup"),
                       _cell(ANSWER.split("    ### BEGIN")[0] + "    # YOUR CODE HERE\n    raise NotImplementedError()",
                             "centered_slope", solution=True)]
    released_slopes += [_cell("", "centered_slope-values", grade=True)] if graded else []
    helper = (_cell(f"Provided:\n\n```python\n{helper_source}```\n", cell_id="helpers", markdown=True) if markdown
              else _cell(helper_source, "helpers"))
    training = [_cell("import numpy as np", "setup"), helper]
    for folder, nb in (("solutions", slopes), ("assignments", released_slopes)):
        _write(tmp_path / folder / "lecture3" / "slopes.ipynb", nb)
        _write(tmp_path / folder / "lecture3" / "training.ipynb", training)
    return tmp_path


def test_a_renamed_reformatted_copy_of_another_notebooks_answer_is_a_leak(tmp_path):
    root = small_course(tmp_path, COPIED)
    assert cross_notebook_leaks(root, "lecture3") == [
        "assignments/lecture3/training.ipynb cell 1 (helpers) holds the graded answer slopes:centered_slope "
        "(2 of its 2 statements, e.g. 'slope = (upper - lower) / (2 * h)')"]
    assert release_leaks(root, "lecture3") == cross_notebook_leaks(root, "lecture3")


def test_a_leak_in_a_markdown_code_block_counts(tmp_path):
    root = small_course(tmp_path, COPIED, markdown=True)
    [problem] = cross_notebook_leaks(root, "lecture3")
    assert problem.startswith("assignments/lecture3/training.ipynb cell 1 (helpers) holds the graded answer "
                              "slopes:centered_slope")


def test_sharing_less_than_half_of_an_answer_is_no_leak(tmp_path):
    shared = "def other(f, x, h=1e-5):\n    up = f(x + h)\n    down = f(x - h)\n    return up - down\n"
    root = small_course(tmp_path, shared)
    assert cross_notebook_leaks(root, "lecture3") == []
    # short statements (`upper = f(x + h)`) and returns of plain names never count
    [answer] = graded_answers(root / "solutions" / "lecture3" / "slopes.ipynb")
    assert [written for _, _, written in answer.statements] == [
        "slope = (upper - lower) / (2 * h)", "scaled = np.clip(slope * np.ones_like(x), -1000000.0, 1000000.0)"]


def test_a_sub_expression_of_an_answer_counts_as_its_statement(tmp_path):
    # `return float(expr)` in the answer, `value = expr` in the release: the long expression is the answer
    root = small_course(tmp_path, "def size(x, y):\n"
                                  "    value = np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y)))\n"
                                  "    return value\n")
    nb_path = root / "solutions" / "lecture3" / "slopes.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(_cell("def gap(x, y):\n    ### BEGIN SOLUTION\n"
                          "    return float(np.max(np.abs(x - y) / np.maximum(1e-8, np.abs(x) + np.abs(y))))\n"
                          "    ### END SOLUTION", "gap", solution=True))
    nb.cells.append(_cell("grade(\"gap-values\", gap)", "gap-values", grade=True))
    nbformat.write(nb, nb_path)
    [problem] = cross_notebook_leaks(root, "lecture3")
    assert "holds the graded answer slopes:gap (1 of its 1 statements" in problem


def test_a_released_cell_that_does_not_parse_is_read_line_by_line(tmp_path):
    root = small_course(tmp_path, "# an unfinished helper\n" + COPIED + "def broken(:\n")
    [problem] = cross_notebook_leaks(root, "lecture3")
    assert "holds the graded answer slopes:centered_slope (2 of its 2 statements" in problem


def test_only_autograded_answers_are_compared(tmp_path):
    # a solution cell without autograded tests (e.g. "paste your loss here") is no graded answer
    root = small_course(tmp_path, COPIED, graded=False)
    assert graded_answers(root / "solutions" / "lecture3" / "slopes.ipynb") == []
    assert cross_notebook_leaks(root, "lecture3") == []


def test_an_answer_shown_on_purpose_in_its_own_notebook_is_not_significant(tmp_path):
    root = small_course(tmp_path, COPIED)
    nb_path = root / "solutions" / "lecture3" / "slopes.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(_cell("# the lecture's formula, shown on purpose\nslope = (upper - lower) / (2 * h)\n"
                          "upper = f(x + h)\nlower = f(x - h)\n", cell_id="demo"))
    nbformat.write(nb, nb_path)
    # one significant statement left (the clip), and the helper shows it: still a leak, now 1 of 1
    [problem] = cross_notebook_leaks(root, "lecture3")
    assert "(1 of its 1 statements, e.g. 'scaled = np.clip(slope * np.ones_like(x), -1000000.0, 1000000.0)')" in problem


def test_the_real_course_catches_a_copied_answer(tmp_path):
    for folder in ("solutions", "assignments"):
        shutil.copytree(REPO / folder / "lecture3", tmp_path / folder / "lecture3",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    gradients = nbformat.read(tmp_path / "solutions" / "lecture3" / "gradients.ipynb", as_version=4)
    answer = next(c for c in gradients.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == "eval_numerical_gradient")
    copy = answer.source.replace("    ### BEGIN SOLUTION\n", "").replace("    ### END SOLUTION", "")
    release_path = tmp_path / "assignments" / "lecture3" / "regularization.ipynb"
    release = nbformat.read(release_path, as_version=4)
    helpers = next(i for i, c in enumerate(release.cells)
                   if c.metadata.get("nbgrader", {}).get("grade_id") == "helpers")
    release.cells[helpers].source += "\n\n\n" + copy.replace("eval_numerical_gradient", "numerical_gradient")
    nbformat.write(release, release_path)
    [problem] = cross_notebook_leaks(tmp_path, "lecture3")
    assert problem.startswith(f"assignments/lecture3/regularization.ipynb cell {helpers} (helpers) holds the graded "
                              "answer gradients:eval_numerical_gradient")


def test_the_committed_release_holds_no_other_notebooks_answer():
    assert cross_notebook_leaks(REPO, "lecture3") == []
