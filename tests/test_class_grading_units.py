"""Fast unit tests of the class runner's parts (no nbgrader run, no cluster)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader.broken_notebooks import invalid_cause, placeholder
from grader.class_grading.bundle import content_hash, read_tree, write_tree
from grader.class_grading.fingerprint import course_hash, fingerprint
from grader.class_grading.progress import Tally, notable_lines, summary_lines
from grader.class_grading.store import notebook_statuses
from grader.class_grading.task import grade_student, phases
from grader.class_grading.template import TemplateError, build_template
from grader.reference import features


def test_invalid_cause_names_empty_and_unreadable_files():
    good = nbformat.writes(nbformat.v4.new_notebook()).encode()
    assert invalid_cause(good) == ""
    assert invalid_cause(b"") == "an empty file"
    assert invalid_cause(b"  \n") == "an empty file"
    assert invalid_cause(b'{"cells": [').startswith("not a readable notebook (")
    assert invalid_cause(b"\xff\xfe").startswith("not a readable notebook (")
    assert placeholder("an empty file").cells[0].id == "grader-unreadable"


def test_notebook_statuses_missing_invalid_and_graded():
    good = nbformat.writes(nbformat.v4.new_notebook()).encode()
    files = {"losses.ipynb": good, "gradients.ipynb": b"", "timestamp.txt": b"x"}
    assert notebook_statuses(files, ["losses", "gradients", "features"], graded=True) == {
        "losses": ("graded", ""), "gradients": ("invalid", "an empty file"), "features": ("missing", "not submitted")}
    assert notebook_statuses(files, ["losses"], graded=False) == {"losses": ("not graded", "")}


def test_bundle_round_trip_and_hash(tmp_path):
    files = {"a.ipynb": b"1", "sub/b.txt": b"2"}
    write_tree(tmp_path / "x", files)
    assert read_tree(tmp_path / "x") == files
    assert content_hash(files) == content_hash(dict(reversed(files.items())))
    assert content_hash(files) != content_hash({**files, "a.ipynb": b"3"})
    assert content_hash(files) != content_hash({"b.ipynb": b"1", "sub/b.txt": b"2"})
    with pytest.raises(ValueError, match=r"bundle path '../evil': expected a relative path inside the folder"):
        write_tree(tmp_path / "y", {"../evil": b""})


def test_fingerprint_follows_course_yaml_and_solutions_only():
    course = {"course.yaml": b"a", "solutions/lecture3/x.ipynb": b"b", "assignments/lecture3/x.ipynb": b"c"}
    assert course_hash(course) == course_hash({**course, "assignments/lecture3/x.ipynb": b"other"})
    assert course_hash(course) != course_hash({**course, "course.yaml": b"changed"})
    assert course_hash(course) != course_hash({**course, "solutions/lecture3/x.ipynb": b"changed"})
    assert fingerprint(course).startswith("course:") and "/grader:" in fingerprint(course)


def test_task_refuses_another_version_without_grading():
    result = grade_student({"course.yaml": b"a"}, "course:000000000000/grader:000000000000", "lecture3", "ann", {})
    assert result["status"] == "refused" and result["records"] is None and result["autograded"] is None
    assert "refused: its course/grader course:" in result["cause"]
    assert result["cause"].endswith("differs from the coordinator's course:000000000000/grader:000000000000")


def test_template_keeps_the_assignment_and_drops_students(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, "c") as gb:
        gb.add_assignment("lecture3", duedate="2026-01-01 00:00:00")
        gb.add_student("ann")
        gb.add_submission("lecture3", "ann")
    build_template(url, "lecture3", tmp_path / "template.db")
    with sqlite3.connect(tmp_path / "template.db") as db:
        rows = db.execute("SELECT name, duedate FROM assignment").fetchall()
        assert rows == [("lecture3", "2026-01-01 00:00:00.000000")]
        assert db.execute("SELECT count(*) FROM student").fetchone() == (0,)
        assert db.execute("SELECT count(*) FROM submitted_assignment").fetchone() == (0,)
    with pytest.raises(TemplateError, match=r"assignment 'other' is not recorded; expected `nbgrader generate_"):
        build_template(url, "other", tmp_path / "t2.db")
    with pytest.raises(TemplateError, match=r"no gradebook; expected `nbgrader generate_assignment lecture3`"):
        build_template(f"sqlite:///{tmp_path / 'none.db'}", "lecture3", tmp_path / "t3.db")
    with pytest.raises(TemplateError, match=r"expected a SQLite gradebook"):
        build_template("postgresql://h/db", "lecture3", tmp_path / "t4.db")


LOG = """\
10:00:01.000 [AutogradeApp | INFO] Creating/updating student with ID 'ann': {}
10:00:03.000 [AutogradeApp | INFO] Sanitizing /c/submitted/ann/lecture3/losses.ipynb
10:00:03.500 [AutogradeApp | INFO] Autograding /c/autograded/ann/lecture3/losses.ipynb
10:00:09.000 [AutogradeApp | INFO] Trusted step: graded 12 test cells of losses outside the kernel in 1.50 s, peak
10:00:10.000 [AutogradeApp | INFO] Sanitizing /c/submitted/ann/lecture3/gradients.ipynb
10:00:10.200 [AutogradeApp | WARNING] Attribute 'checksum' for cell rel_error-values has changed! (should be: a)
10:00:10.500 [AutogradeApp | INFO] Autograding /c/autograded/ann/lecture3/gradients.ipynb
10:00:14.500 [AutogradeApp | ERROR] something a person should read
"""


def test_phases_split_the_log_into_start_sanitize_kernel_and_trusted():
    got = phases(LOG, launched=datetime(2026, 1, 1, 10, 0, 0))
    assert got == pytest.approx({"start": 3.0, "sanitize": 1.0, "kernel": 5.0 + 4.0, "trusted": 1.5})


def test_console_keeps_only_notable_nbgrader_lines():
    assert notable_lines(LOG) == ["something a person should read"]


def test_summary_names_each_cause_and_the_rate():
    t = Tally(total=3, skipped=["c"], graded=["a"], not_graded={"b": "its Dask worker died 3 times"})
    lines = summary_lines(t)
    assert lines[0].startswith("1 graded, 1 not graded, 1 skipped as unchanged in ") and "students/min" in lines[0]
    assert lines[1] == "  not graded: b: its Dask worker died 3 times"
    t.interrupted = True
    assert summary_lines(t)[0].startswith("interrupted: 1 graded, 1 not graded, 1 skipped as unchanged, 1 not started")


def test_terminal_bar_shows_done_total_rate_and_failures():
    import io

    from rich.console import Console

    from grader.class_grading.progress import Reporter

    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=160, color_system=None)
    tally = Tally(total=2)
    with Reporter(console, tally, bar=True) as reporter:
        tally.graded.append("a")
        reporter.student("a", "graded", "", [])
        tally.not_graded["b"] = "its Dask worker died 3 times"
        reporter.student("b", "not graded", "its Dask worker died 3 times", [])
    text = out.getvalue()
    assert "2/2" in text and "students/min" in text and "1 not graded" in text and "ETA" in text
    assert "[2/2] b: not graded (its Dask worker died 3 times)" in text  # failures are also listed above the bar
    assert "[1/2] a: graded" not in text  # graded students only move the bar


def test_the_class_plan_refuses_linked_submissions_without_reading_them(tmp_path):
    from grader.class_grading.runner import Options, plan

    (tmp_path / "solutions" / "lecture3").mkdir(parents=True)
    (tmp_path / "solutions" / "lecture3" / "losses.ipynb").write_text("SOLUTION")
    for student in ("ann", "bob"):
        (tmp_path / "submitted" / student).mkdir(parents=True)
    (tmp_path / "submitted" / "ann" / "lecture3").mkdir()
    (tmp_path / "submitted" / "ann" / "lecture3" / "losses.ipynb").write_text("{}")
    (tmp_path / "submitted" / "bob" / "lecture3").symlink_to(tmp_path / "solutions" / "lecture3")
    (tmp_path / "submitted" / "eve").symlink_to(tmp_path / "submitted" / "ann")
    refused = {}
    todo, skipped = plan(tmp_path, f"sqlite:///{tmp_path / 'gradebook.db'}", "course", Options("lecture3"), refused,
                         "course:a/grader:b")
    assert [p.student for p in todo] == ["ann"] and skipped == []
    assert refused == {"bob": "submitted/bob/lecture3 is a symbolic link; a submission must be a plain folder",
                       "eve": "submitted/eve is a symbolic link; a submission must be a plain folder"}


def test_the_forkserver_preload_imports_what_grading_imports_lazily_and_fills_the_data_caches():
    from grader.class_grading import warm_nbgrader

    code = ("import sys; import grader.class_grading.preload; from grader import data; "
            "from grader.reference import features; "
            "print(data._digits.cache_info().currsize, features.digit_features.cache_info().currsize, "
            "'IPython.core.inputtransformer2' in sys.modules, 'sklearn.datasets' in sys.modules)")
    assert "grader.class_grading.preload" in warm_nbgrader.PRELOAD
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["1", str(len(features.FEATURE_NAMES)), "True", "True"], out.stderr[-2000:]


def test_a_saved_grade_is_kept_only_for_the_same_files_course_and_grader(tmp_path):
    from nbgrader.utils import parse_utc

    from grader import grading_status
    from grader.class_grading.bundle import submission_files
    from grader.class_grading.runner import Options, plan, saved_hash

    stamp = "2026-01-05 10:00:00 UTC"
    folder = tmp_path / "submitted" / "ann" / "lecture3"
    folder.mkdir(parents=True)
    (folder / "losses.ipynb").write_text("{}")
    (folder / "timestamp.txt").write_text(stamp)
    (tmp_path / "autograded" / "ann" / "lecture3").mkdir(parents=True)
    db = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(db, "course") as gb:
        gb.add_assignment("lecture3")
        gb.add_student("ann")
        gb.add_submission("lecture3", "ann", timestamp=parse_utc(stamp))
    graded_under = "course:aaaaaaaaaaaa/grader:bbbbbbbbbbbb"
    files = submission_files(tmp_path, "ann", "lecture3")
    grading_status.record_student(db, "lecture3", "ann", "graded",
                                  content_hash=saved_hash(content_hash(files), graded_under))

    def skipped_under(version: str) -> bool:
        todo, skipped = plan(tmp_path, db, "course", Options("lecture3"), {}, version)
        assert sorted([p.student for p in todo] + skipped) == ["ann"]
        return skipped == ["ann"]

    assert skipped_under(graded_under)
    assert not skipped_under("course:cccccccccccc/grader:bbbbbbbbbbbb")    # course.yaml or the solutions changed
    assert not skipped_under("course:aaaaaaaaaaaa/grader:dddddddddddd")    # the grader changed
    (folder / "losses.ipynb").write_text('{"cells": []}')
    assert not skipped_under(graded_under)                                 # the submission changed
