"""The student's feedback page from real `nbgrader generate_feedback` opens with one line per task: its
points, then the first failing check's likely cause, or "graded by hand - pending", instead of
nbgrader's anonymous "Test cell" list; it is checked in headless Chromium, screenshot included, and
loads nothing from any server."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from test_report_browser import SHOTS, Recorder, dom_text, page_requests, png_colours, run_chromium, screenshot
from test_report_fixture import ASSIGNMENT, REG_GRADIENT, REPO, STUB, build_class

from grader.course import load_course
from grader.feedback import PENDING, summary_rows


@pytest.fixture(scope="module")
def feedback(tmp_path_factory):
    import nbgrader.api

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nbgrader.api, "get_alembic_version", functools.lru_cache(nbgrader.api.get_alembic_version))
        root = build_class(tmp_path_factory.mktemp("class") / "course")
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("GRADER_COURSE_FILE", None)
    run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "generate_feedback", ASSIGNMENT],
                         cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return root / "feedback"


def test_the_page_opens_with_one_line_per_task(feedback):
    page = feedback / "ben" / ASSIGNMENT / "losses.html"
    with Recorder() as proxy:
        png = screenshot(page, SHOTS / "feedback_page.png", height=1100, proxy_port=proxy.port)
        dom = run_chromium(page, "--dump-dom", proxy_port=proxy.port)
    assert page_requests(proxy.requests) == []
    assert png_colours(png) > 20
    text = dom_text(dom)
    summary = text[text.index("losses:"):text.index("Late submission") if "Late submission" in text else None]
    assert f"svm_loss_vectorized 7.5 / 9 {REG_GRADIENT}" in summary
    assert "multiclass_hinge_loss 5 / 5 all checks passed" in summary
    assert f"svm_q7_explanation 0 / 1 {PENDING}" in summary
    assert "Test cell (Score" not in text          # nbgrader's anonymous list is gone
    assert "test: svm_loss_vectorized-gradient 1.5 / 3.0" in text   # each graded cell framed with its score
    html = page.read_text(encoding="utf-8")
    assert "SECRET_HIDDEN_TEST_SOURCE" not in html and "BEGIN HIDDEN TESTS" not in html   # nbgrader #1363
    assert "mathjax" not in html.lower() and "require.js" not in html and "cdn." not in html


def test_a_stub_and_a_late_penalty(feedback):
    text = dom_text(run_chromium(feedback / "cat" / ASSIGNMENT / "losses.html", "--dump-dom"))
    assert f"softmax_loss_naive 4 / 10 {STUB}" in text
    assert "your answer, graded by hand: svm_q7_explanation pending / 1.0" in text   # never a 0 before a grader
    assert "Late submission penalty: -5.0 points" in text


def test_summary_rows_follow_the_course_order_and_the_stored_outcomes(feedback):
    root = feedback.parent
    course = load_course(root / "course.yaml", check_notebooks=False)
    nb = nbformat.read(root / "autograded" / "ben" / ASSIGNMENT / "regularization.ipynb", as_version=4)
    for cell in nb.cells:   # GetGrades' scores, as generate_feedback has them
        nbg = cell.metadata.get("nbgrader", {})
        if nbg.get("grade"):
            record = cell.metadata.get("grader")
            nbg["score"] = record["score"] if record else None
    rows = summary_rows(nb, course, "regularization", ASSIGNMENT, pending={"l2_preference_explanation"})
    assert [r["task"] for r in rows] == list(course.assignments[ASSIGNMENT].notebooks["regularization"].tasks)
    l2 = next(r for r in rows if r["task"] == "l2_regularization")
    assert (l2["state"], l2["line"]) == ("lost", "the regularization gradient is reg * W; the derivative of "
                                                 "reg * sum(W * W) is 2 * reg * W")
    manual = next(r for r in rows if r["task"] == "l2_preference_explanation")
    assert (manual["state"], manual["line"], manual["points_text"]) == ("pending", PENDING, "0 / 2")
