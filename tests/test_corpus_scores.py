"""The score dump that proves a refactor changes no grade (tests/corpus_scores.py; its docstring says
how to run it before and after a change): its comparison reports every kind of difference, and it
covers the whole corpus plus the solution and the stub of every autograded task."""

from __future__ import annotations

from corpus_scores import compare, entries

BEFORE = {"mutants/losses/a": {"a-x": [1.0, "text"], "a-y": [0.0, "why"]}, "variants/losses/b": {"b-x": [2.0, "ok"]}}


def test_identical_dumps_compare_equal():
    assert compare(BEFORE, BEFORE) == []


def test_a_score_a_feedback_text_and_a_missing_cell_or_entry_are_each_reported():
    after = {"mutants/losses/a": {"a-x": [0.5, "text"], "a-y": [0.0, "another why"]}}
    lines = compare(BEFORE, after)
    assert lines[0] == "mutants/losses/a a-x: score 1.0 -> 0.5"
    assert lines[1].startswith("mutants/losses/a a-y: feedback differs") and "another why" in lines[1]
    assert lines[2] == "variants/losses/b: only before"
    assert compare({"k": {"c": [1.0, ""]}}, {"k": {}}) == ["k c: only before"]


def test_the_dump_covers_every_kind_of_entry():
    kinds = {key.split("/")[0] for key in entries()}
    assert kinds == {"mutants", "variants", "do_nothing", "solution", "stub"}
    assert "solution/losses/svm_questions" in entries()
