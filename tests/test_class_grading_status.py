"""grader.grading_status: the status table beside nbgrader's gradebook."""

import pytest
from nbgrader.api import Gradebook

from grader import grading_status as gs


@pytest.fixture
def db(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, "c") as gb:  # nbgrader's own tables first, as in a real course
        gb.add_assignment("lecture3")
    return url


def test_read_without_table_is_empty(tmp_path):
    assert gs.read(f"sqlite:///{tmp_path / 'none.db'}", "lecture3") == []


def test_record_replaces_the_same_key_and_keeps_others(db):
    gs.record(db, "lecture3", "ann", "not graded", cause="worker died")
    gs.record(db, "lecture3", "ann", "invalid", notebook="losses", cause="empty file")
    gs.record(db, "lecture3", "ann", "graded", content_hash="abc")
    rows = gs.read(db, "lecture3")
    assert [(r.notebook, r.status, r.cause, r.content_hash) for r in rows] == [
        (None, "graded", "", "abc"), ("losses", "invalid", "empty file", None)]
    assert gs.describe(rows) == {"ann": "graded; invalid: losses (empty file)"}


def test_clear_student_removes_stale_notebook_rows(db):
    gs.record(db, "lecture3", "ann", "missing", notebook="features")
    gs.record(db, "lecture3", "bob", "missing", notebook="features")
    gs.record(db, "lecture3", "ann", "graded", clear_student=True)
    assert {(r.student, r.notebook) for r in gs.read(db, "lecture3")} == {("ann", None), ("bob", "features")}


def test_record_student_writes_all_rows_and_describe_names_the_cause(db):
    gs.record_student(db, "lecture3", "cat", "not graded", cause="the worker died 3 times",
                      notebooks={"losses": ("not graded", "")})
    gs.record_student(db, "lecture3", "dan", "skipped", notebooks={"losses": ("graded", "")})
    assert gs.describe(gs.read(db, "lecture3")) == {
        "cat": "not graded: the worker died 3 times; not graded: losses", "dan": "graded"}
    assert gs.read(db, "other") == []


def test_unknown_status_is_refused_with_the_expected_values(db):
    with pytest.raises(gs.StatusError, match=r"grader_status.status: got 'done'; expected one of graded, "):
        gs.record(db, "lecture3", "ann", "done")
    with pytest.raises(gs.StatusError, match="notebook 'losses'"):
        gs.record_student(db, "lecture3", "ann", "graded", notebooks={"losses": ("ok", "")})
    assert gs.read(db, "lecture3") == []


def test_nbgrader_still_opens_the_gradebook(db):
    gs.record(db, "lecture3", "ann", "graded")
    with Gradebook(db, "c") as gb:
        assert [a.name for a in gb.assignments] == ["lecture3"]
