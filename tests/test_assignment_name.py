"""The assignment's name comes from course.yaml: a command run without one grades the course's only
assignment, a course with several asks for one, and an unknown name is refused; each in one line that
names course.yaml. The courses here are copies of the repository's, with the assignment renamed
`week2` (or listed twice), so nothing can fall back on the repository's own name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from grader import cli, corpus_run
from grader.class_grading import runner
from grader.course import load_course
from grader.demo import write_demo_submissions

REPO = Path(__file__).resolve().parents[1]
[REPO_ASSIGNMENT] = yaml.safe_load((REPO / "course.yaml").read_text(encoding="utf-8"))["assignments"]


def _course(root: Path, split: dict[str, list[str] | None]) -> Path:
    """A copy of the repository's course whose assignments are the keys of `split`, each holding the
    repository's notebooks it names (None: all of them). grade_ids are unique in a course, so two
    assignments share no notebook."""
    data = yaml.safe_load((REPO / "course.yaml").read_text(encoding="utf-8"))
    [spec] = data["assignments"].values()
    root.mkdir()
    data["assignments"] = {}
    for name, notebooks in split.items():
        notebooks = notebooks or list(spec["notebooks"])
        data["assignments"][name] = {"notebooks": {nb: spec["notebooks"][nb] for nb in notebooks}}
        for folder in ("solutions", "assignments"):
            (root / folder / name).mkdir(parents=True)
            for nb in notebooks:
                shutil.copy(REPO / folder / REPO_ASSIGNMENT / f"{nb}.ipynb", root / folder / name)
    (root / "course.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    (root / "gradebook.db").write_bytes(b"")  # only its existence is checked before the assignment's
    return root


@pytest.fixture(scope="module")
def one(tmp_path_factory) -> Path:
    return _course(tmp_path_factory.mktemp("one") / "course", {"week2": None})


@pytest.fixture(scope="module")
def several(tmp_path_factory) -> Path:
    return _course(tmp_path_factory.mktemp("several") / "course", {"week2": ["losses"], "week3": ["gradients"]})


class Chosen(Exception):
    """Raised by the stand-ins below with the assignment the command went on to grade."""


@pytest.fixture
def stand_ins(monkeypatch):
    """scores, report and autograde stop where they would read the gradebook or grade the class."""
    import grader.results

    def load_class(course, assignment, *args, **kwargs):
        raise Chosen(assignment)

    def build_template(db_url, assignment, path):  # after the runner's own checks of the course
        raise Chosen(assignment)

    monkeypatch.setattr(grader.results, "load_class", load_class)
    monkeypatch.setattr(runner, "build_template", build_template)


def _run(root: Path, command: str, *args: str) -> int:
    extra = ["--gradebook", str(root / "gradebook.db")] if command in ("scores", "report") else []
    return cli.main(["--course", str(root / "course.yaml"), command, *args, *extra])


@pytest.mark.parametrize("command", ["scores", "report", "autograde"])
def test_without_a_name_a_command_grades_the_only_assignment_of_course_yaml(one, stand_ins, command):
    with pytest.raises(Chosen) as chosen:
        _run(one, command)
    assert chosen.value.args == ("week2",)


@pytest.mark.parametrize("command", ["scores", "report", "autograde"])
def test_a_named_assignment_is_the_one_graded(several, stand_ins, command):
    with pytest.raises(Chosen) as chosen:
        _run(several, command, "week3")
    assert chosen.value.args == ("week3",)


@pytest.mark.parametrize("command", ["scores", "report", "autograde"])
def test_several_assignments_and_no_name_is_a_one_line_error(several, stand_ins, capsys, command):
    assert _run(several, command) == 2
    assert capsys.readouterr().err == (f"error: course.yaml: assignments: several assignments (week2, week3); "
                                       f"name one: grader {command} <assignment>\n")


@pytest.mark.parametrize("command", ["scores", "report", "autograde"])
def test_an_unknown_assignment_is_a_one_line_error(one, stand_ins, capsys, command):
    assert _run(one, command, "lecture9") == 2
    assert capsys.readouterr().err == "error: course.yaml: assignments: no 'lecture9'; expected one of week2\n"


def test_export_names_course_yaml_for_an_unknown_assignment(one, capsys):
    assert _run(one, "export", "lecture9", "week2", "--format", "long", "--gradebook", str(one / "gradebook.db")) == 2
    assert capsys.readouterr().err == "error: course.yaml: assignments: no 'lecture9'; expected one of week2\n"


def test_the_corpus_run_takes_the_assignment_from_course_yaml(one, capsys):
    course = load_course(one / "course.yaml")
    assert corpus_run.autograded_points(course) == {
        gid: cell.points for _, nb in course.notebooks() for t in nb.tasks.values() for gid, cell in t.tests.items()}
    notebooks = list(course.assignments["week2"].notebooks)
    assert corpus_run.graded_functions(course, notebooks) == \
        corpus_run.graded_functions(load_course(REPO / "course.yaml"), notebooks)
    assert _run(one, "corpus", "--notebook", "lossses") == 2
    assert capsys.readouterr().err.startswith("error: --notebook lossses: expected one of losses, ")


def test_the_corpus_run_refuses_several_assignments_in_one_line(several, capsys):
    assert _run(several, "corpus") == 2
    assert capsys.readouterr().err == ("error: course.yaml: assignments: several assignments (week2, week3); "
                                       "the corpus (grader/corpus/) is graded for a course of one assignment\n")


def test_the_demo_class_is_written_for_the_assignment_of_course_yaml(one):
    about = write_demo_submissions(one)
    course = load_course(one / "course.yaml")
    for student in about:
        assert sorted(p.stem for p in (one / "submitted" / student / "week2").glob("*.ipynb")) == \
            sorted(course.assignments["week2"].notebooks)
