"""Submissions are data: links, special files and hard links out of the submission are refused, by name."""

from __future__ import annotations

import os

from grader.submission_files import refusals, submission_problem


def make(tmp_path, student="alice"):
    folder = tmp_path / "submitted" / student / "lecture3"
    folder.mkdir(parents=True)
    (folder / "losses.ipynb").write_text("{}")
    (folder / "helpers").mkdir()
    (folder / "helpers" / "util.py").write_text("x = 1")
    return folder


def test_plain_files_and_folders_pass(tmp_path):
    folder = make(tmp_path)
    assert submission_problem(folder, "submitted/alice/lecture3") is None
    assert refusals(tmp_path, "lecture3") == {}


def test_a_missing_submission_is_not_a_refusal(tmp_path):
    make(tmp_path)
    assert refusals(tmp_path, "lecture4") == {}
    assert refusals(tmp_path / "nowhere", "lecture3") == {}


def test_a_symlinked_notebook_is_refused_with_its_name_and_target(tmp_path):
    folder = make(tmp_path)
    (folder / "losses.ipynb").unlink()
    (folder / "losses.ipynb").symlink_to("../../../solutions/lecture3/losses.ipynb")
    why = refusals(tmp_path, "lecture3")["alice"]
    assert why.startswith("submitted/alice/lecture3/losses.ipynb is a symbolic link")
    assert "solutions/lecture3/losses.ipynb" in why and "\n" not in why


def test_a_symlink_deep_inside_or_to_a_folder_is_refused(tmp_path):
    folder = make(tmp_path)
    (folder / "helpers" / "data").symlink_to("/etc")
    assert "helpers/data is a symbolic link" in submission_problem(folder, "s")


def test_a_symlinked_student_or_assignment_folder_is_refused(tmp_path):
    make(tmp_path, "alice")
    (tmp_path / "submitted" / "mallory").symlink_to(tmp_path / "submitted" / "alice")
    (tmp_path / "submitted" / "eve").mkdir()
    (tmp_path / "submitted" / "eve" / "lecture3").symlink_to(tmp_path / "submitted" / "alice" / "lecture3")
    found = refusals(tmp_path, "lecture3")
    assert set(found) == {"mallory", "eve"}
    assert found["mallory"] == "submitted/mallory is a symbolic link; a submission must be a plain folder"


def test_a_hard_link_inside_the_submission_passes_but_one_to_outside_is_refused(tmp_path):
    folder = make(tmp_path)
    os.link(folder / "losses.ipynb", folder / "copy.ipynb")
    assert submission_problem(folder, "s") is None
    secret = tmp_path / "gradebook.db"
    secret.write_text("grades")
    os.link(secret, folder / "grades.db")
    assert submission_problem(folder, "s") == ("s/grades.db is a hard link to a file outside the submission; "
                                               "a submission must hold its own files")


def test_a_fifo_is_refused(tmp_path):
    folder = make(tmp_path)
    os.mkfifo(folder / "pipe")
    assert submission_problem(folder, "s") == "s/pipe is a FIFO (named pipe); a submission must hold plain files"


def test_one_students_problem_names_the_linked_folder(tmp_path):
    from grader.submission_files import student_problem

    make(tmp_path, "alice")
    assert student_problem(tmp_path, "alice", "lecture3") is None
    (tmp_path / "submitted" / "mallory").symlink_to(tmp_path / "submitted" / "alice")
    assert student_problem(tmp_path, "mallory", "lecture3") == ("submitted/mallory is a symbolic link; "
                                                                "a submission must be a plain folder")
