"""The exports an LMS imports, against golden files, from the fixed class of test_report_fixture:
Canvas's gradebook-import CSV (with and without a roster), Gradescope's results.json per student, the
long CSV; and the Canvas and long exports through nbgrader's own `nbgrader export --exporter=...`.

To accept a deliberate change: GRADER_UPDATE_GOLDEN=1 pytest tests/test_export.py, then read the diff."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_report_fixture import ASSIGNMENT, HIDDEN_SOURCE, REG_GRADIENT, REPO, build_class

from grader.course import load_course
from grader.exporters import canvas_csv, gradescope_results, long_csv, read_roster, write_gradescope

GOLDEN = Path(__file__).resolve().parent / "golden"
ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section
Points Possible,,,,
"Archer, Ann",1001,S-ann,ann,Section A
"Bauer, Ben",1002,S-ben,ben@example.edu,Section A
"Chen, Cat",1003,S-cat,cat,Section B
"Evans, Eve",1005,S-eve,eve,Section B
"Zhou, Zed",1026,S-zed,zed,Section B
"""


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("GRADER_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: run with GRADER_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    import nbgrader.api

    from grader.results import load_class

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(nbgrader.api, "get_alembic_version", functools.lru_cache(nbgrader.api.get_alembic_version))
        root = build_class(tmp_path_factory.mktemp("class") / "course")
        course = load_course(root / "course.yaml", check_notebooks=False)
        results = load_class(course, ASSIGNMENT, f"sqlite:///{root / 'gradebook.db'}", root)
    return root, results


def test_canvas_csv_without_a_roster(klass):
    _, results = klass
    text, report = canvas_csv([results])
    golden("export_canvas.csv", text)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Student", "ID", "SIS User ID", "Section", "lecture3"]
    assert rows[1] == ["Points Possible", "", "", "", "157"]
    by_id = {r[2]: r for r in rows[2:]}
    assert by_id["ann"][4] == "157" and by_id["ann"][0] == "Archer, Ann"
    assert by_id["eve"][4] == ""                       # not graded: empty, never a zero
    assert report.not_graded == {"eve": "not graded: the grading worker died 3 times"}


def test_canvas_csv_with_a_roster_reports_unmatched_students(klass, tmp_path):
    _, results = klass
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    text, report = canvas_csv([results], read_roster(tmp_path / "roster.csv"))
    golden("export_canvas_roster.csv", text)
    rows = list(csv.reader(io.StringIO(text)))
    assert [r[:4] for r in rows[2:4]] == [["Archer, Ann", "1001", "S-ann", "Section A"],
                                          ["Bauer, Ben", "1002", "S-ben", "Section A"]]   # ben by his email
    assert report.unmatched_students == ["dan"]
    assert report.roster_without_grades == ["Zhou, Zed"]


def test_gradescope_results_per_student(klass, tmp_path):
    _, results = klass
    report = write_gradescope(results, tmp_path / "gs")
    assert sorted(Path(p).parent.name for p in report.written) == ["ann", "ben", "cat", "dan"]
    assert report.not_graded == {"eve": "not graded: the grading worker died 3 times"}
    by = {s.student: s for s in results.students}
    for student in ("ben", "cat", "dan"):
        data = json.loads((tmp_path / "gs" / student / "results.json").read_text(encoding="utf-8"))
        golden(f"gradescope_{student}.json", json.dumps(data, indent=2) + "\n")
        assert data == gradescope_results(results, by[student])
        for t in data["tests"]:
            assert set(t) == {"name", "score", "max_score", "output", "visibility"}
            assert 0 <= t["score"] <= t["max_score"]
        assert data["score"] == round(sum(t["score"] for t in data["tests"]) - by[student].late_penalty, 3)
    ben = json.loads((tmp_path / "gs" / "ben" / "results.json").read_text(encoding="utf-8"))
    failing = next(t for t in ben["tests"] if t["name"] == "losses: svm_loss_vectorized-gradient")
    assert f"likely cause: {REG_GRADIENT}" in failing["output"] and failing["score"] < failing["max_score"]


def test_gradescope_never_carries_hidden_test_source(klass, tmp_path):
    _, results = klass
    write_gradescope(results, tmp_path / "gs")
    hidden = HIDDEN_SOURCE.splitlines()[1]
    for path in (tmp_path / "gs").rglob("results.json"):
        text = path.read_text(encoding="utf-8")
        assert hidden not in text and "BEGIN HIDDEN TESTS" not in text


def test_long_csv(klass):
    _, results = klass
    text = long_csv([results])
    golden("export_long.csv", text)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["assignment", "student", "notebook", "task", "cell", "score", "max", "status",
                             "likely_cause"]
    row = next(r for r in rows if r["student"] == "ben" and r["cell"] == "svm_loss_vectorized-gradient")
    assert (row["status"], row["likely_cause"]) == ("graded", REG_GRADIENT)
    assert {r["status"] for r in rows if r["student"] == "eve"} == {"not graded"}
    assert {r["status"] for r in rows if r["student"] == "dan" and r["notebook"] == "features"} == {"missing"}
    assert any(r["status"] == "pending hand grading" for r in rows if r["student"] == "ben")
    spec = results.spec
    assert len(rows) == 5 * sum(len(nb.graded_cells) for nb in spec.notebooks.values())


def test_grader_export_command(klass, tmp_path, capsys):
    from grader.cli import main

    root, results = klass
    base = ["--course", str(root / "course.yaml"), "export", "--gradebook", str(root / "gradebook.db")]
    assert main([*base, "--format", "long", "--out", str(tmp_path / "l.csv")]) == 0
    assert (tmp_path / "l.csv").read_text(encoding="utf-8") == long_csv([results])
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    assert main([*base, "--format", "canvas", "--roster", str(tmp_path / "roster.csv"),
                 "--out", str(tmp_path / "c.csv")]) == 0
    err = capsys.readouterr().err
    assert "dan is not on the roster" in err and "Zhou, Zed has no grades" in err
    assert main([*base, "--format", "gradescope", "--out", str(tmp_path / "gs")]) == 0
    assert (tmp_path / "gs" / "ann" / "results.json").is_file()


def test_nbgrader_export_with_the_grader_exporters(klass):
    """`nbgrader export --exporter=...` through nbgrader's own plugin mechanism, from the course root."""
    root, results = klass
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("GRADER_COURSE_FILE", None)
    run = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "export",
                          "--exporter=grader.exporters.CanvasExport", "--to", "canvas.csv"],
                         cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert (root / "canvas.csv").read_text(encoding="utf-8") == (GOLDEN / "export_canvas.csv").read_text("utf-8")


def test_the_long_exporter_plugin_as_nbgrader_calls_it(klass, monkeypatch):
    """What `nbgrader export --exporter=grader.exporters.LongExport` runs (the command line itself is
    exercised above with the Canvas plugin): the plugin's export() on nbgrader's open gradebook."""
    from nbgrader.api import Gradebook

    from grader.exporters import LongExport

    root, _ = klass
    monkeypatch.setenv("GRADER_COURSE_FILE", str(root / "course.yaml"))
    monkeypatch.chdir(root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        LongExport(to="long.csv").export(gb)
    assert (root / "long.csv").read_text(encoding="utf-8") == (GOLDEN / "export_long.csv").read_text("utf-8")
