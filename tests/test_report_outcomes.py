"""The trusted step stores each test cell's outcome as data beside the feedback text it writes:
criteria passed and failed, expected / got and the likely cause of each failure. The report and the
exports read this, never the text; storing it changes neither the score nor the text."""

from __future__ import annotations

import copy
import os

import pytest
from test_trusted_step import ASSIGNMENT, NOTEBOOK, _tools_on_path, db_url, make_course, stub, submission
from traitlets.config import Config

from grader.preprocessors.trusted_grading import TrustedGrading, cell_feedback
from grader.results import OUTCOME_KEY, cell_outcomes


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = make_course(tmp_path_factory.mktemp("course"))
    nb = submission(l2_regularization=stub("l2_regularization"))
    config = Config({"CourseDirectory": {"root": str(root), "source_directory": "solutions"}})
    resources = {"nbgrader": {"db_url": db_url(root), "assignment": ASSIGNMENT, "notebook": NOTEBOOK,
                              "student": "s"}}
    saved = os.environ.get("GRADER_COURSE_FILE")
    os.environ["GRADER_COURSE_FILE"] = str(root / "course.yaml")
    try:
        with _tools_on_path():
            out, _ = TrustedGrading(config=config).preprocess(copy.deepcopy(nb), resources)
    finally:
        if saved is None:
            os.environ.pop("GRADER_COURSE_FILE", None)
        else:
            os.environ["GRADER_COURSE_FILE"] = saved
    return out


def _scores(nb) -> dict[str, float]:
    return {c.metadata.nbgrader.grade_id: float(o["data"]["text/plain"]) for c in nb.cells
            for o in c.get("outputs", []) if o.get("output_type") == "execute_result"}


def test_every_test_cell_stores_its_outcome_with_the_score_it_was_given(graded):
    records = cell_outcomes(graded)
    scores = _scores(graded)
    assert set(records) == set(scores) and records
    for grade_id, record in records.items():
        assert record["grade_id"] == grade_id
        assert record["score"] == scores[grade_id]
        assert record["task"] == grade_id.split("-")[0]
        assert record["check"]
        passed = sum(c["passed"] for c in record["criteria"] if not c.get("basic"))
        assert record["passed"] == passed and record["total"] >= passed


def test_a_stub_stores_its_failures_expected_got_and_cause(graded):
    records = cell_outcomes(graded)
    stubbed = {g: r for g, r in records.items() if r["task"] == "l2_regularization"}
    assert stubbed
    for record in stubbed.values():
        assert record["score"] == 0.0
        first = record["first_failure"]
        assert first["cause"].startswith("the function is still the stub")
        assert "NotImplementedError" in first["got"]
        assert first["expected"]
    solved = [r for r in records.values() if r["task"] == "l1_regularization"]
    assert solved and all(r["first_failure"] is None and r["score"] == r["points"] for r in solved)
    assert all(c["passed"] for r in solved for c in r["criteria"])


def test_the_record_agrees_with_the_feedback_text(graded):
    """The text is still what the student reads; the record is the same outcome as data."""
    texts = cell_feedback(graded)
    for grade_id, record in cell_outcomes(graded).items():
        text = texts[grade_id]
        assert text.startswith(f"{grade_id}: {record['score']:g} / {record['points']:g} points")
        for c in record["criteria"]:
            assert ("PASS  " if c["passed"] else "FAIL  ") + c["checked"] in text
            if not c["passed"] and c["cause"]:
                assert f"likely cause: {c['cause']}" in text


def test_records_live_in_the_test_cells_metadata_only(graded):
    for cell in graded.cells:
        nbg = cell.metadata.get("nbgrader", {})
        holds = OUTCOME_KEY in cell.metadata
        assert holds == (nbg.get("grade", False) and not nbg.get("solution", False) and cell.cell_type == "code")
