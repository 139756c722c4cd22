"""Every corpus entry, graded in this process: the fast twin of the corpus run through nbgrader.

A variant keeps every point of its function, a mutant loses points on its function, and a do-nothing
answer scores 0 on every cell of its function. `grader ci` grades the same entries through real
nbgrader and the worker.
"""

from __future__ import annotations

import pytest

from corpus_in_process import function_cells, grade_in_process
from grader.submissions import do_nothing, mutants, variants


@pytest.mark.parametrize("entry", variants(), ids=lambda e: f"{e.function}-{e.name}")
def test_variant_keeps_every_point(entry):
    graded = grade_in_process(entry)
    points = function_cells(entry.notebook, entry.function)
    lost = {g: (s, fb) for g, (s, fb) in graded.items() if s < points[g] - 1e-9}
    assert not lost, "\n\n".join(fb for _, fb in lost.values())


@pytest.mark.parametrize("entry", mutants(), ids=lambda e: f"{e.function}-{e.name}")
def test_mutant_loses_points_on_its_function(entry):
    points = function_cells(entry.notebook, entry.function)
    graded = grade_in_process(entry)
    assert sum(s for s, _ in graded.values()) < sum(points.values()) - 1e-9, \
        "\n\n".join(fb for _, fb in graded.values())


@pytest.mark.parametrize("entry", do_nothing(), ids=lambda e: f"{e.function}-{e.name}")
def test_do_nothing_scores_zero_on_every_cell_of_its_function(entry):
    graded = grade_in_process(entry)
    earned = {g: fb for g, (s, fb) in graded.items() if s > 0}
    assert not earned, "\n\n".join(earned.values())
