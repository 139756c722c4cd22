"""The corpus run's judging, without nbgrader: verdicts, determinism, guards and exit codes from
in-memory score dictionaries, the batch layout, and the release checks on small notebooks.

A guard that cannot fail is a defect, so each one is shown failing on the result that should fail it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from grader import cli, corpus_run
from grader.corpus_run import (BROKEN, DO_NOTHING, STUBS, VARIANTS, Batch, CorpusResult, Graded, Submission,
                               assign_shards, ci_guards, corpus_entries, corpus_guards, differing_cells, grading_order,
                               judge_entry, plan)
from grader.course import load_course
from grader.release_check import release_leaks, stale_release
from grader.submissions import CorpusEntry

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course(REPO / "course.yaml")
NOTEBOOKS = list(COURSE.assignments["lecture3"].notebooks)

# A notebook with two functions: softmax (2 cells) and softmax_loss_naive (1 cell). The second name
# starts with the first, so only the "<function>-" prefix tells their cells apart.
POINTS = {"softmax-values": 2.0, "softmax-stability": 1.0, "softmax_loss_naive-values": 3.0}
FULL = dict(POINTS)


def entry(function="softmax", name="bug", notebook="losses") -> CorpusEntry:
    return CorpusEntry(name, notebook, function, "a one-line description", "def f(): pass\n")


def test_mutant_losing_points_on_its_own_cells_is_killed():
    r = judge_entry("mutant", entry(), POINTS, FULL | {"softmax-stability": 0.25})
    assert r.verdict == "killed" and r.ok
    assert r.lost == {"softmax-stability": 0.75}


def test_mutant_keeping_every_point_survived():
    r = judge_entry("mutant", entry(), POINTS, FULL)
    assert r.verdict == "survived" and not r.ok and r.lost == {}


def test_mutant_losing_points_on_another_functions_cells_is_an_isolation_defect():
    # also when it is killed on its own cells: one bug must cost points once
    r = judge_entry("mutant", entry(), POINTS, FULL | {"softmax-values": 0.0, "softmax_loss_naive-values": 1.0})
    assert r.verdict == "isolation defect" and not r.ok
    # softmax_loss_naive-values starts with "softmax" but is not a cell of softmax
    r = judge_entry("mutant", entry(), POINTS, FULL | {"softmax_loss_naive-values": 0.0})
    assert r.verdict == "isolation defect"


def test_submission_missing_from_the_gradebook_is_not_graded():
    assert judge_entry("mutant", entry(), POINTS, None).verdict == "not graded"
    assert judge_entry("variant", entry(), POINTS, {"other_notebook-cell": 1.0}).verdict == "not graded"


def test_variant_passes_only_with_every_point():
    assert judge_entry("variant", entry(), POINTS, FULL).verdict == "passes"
    r = judge_entry("variant", entry(), POINTS, FULL | {"softmax-values": 1.999})
    assert r.verdict == "failed" and not r.ok and r.lost == {"softmax-values": 0.001}
    # a missing cell is a lost cell (nbgrader had no score for it)
    assert judge_entry("variant", entry(), POINTS, {"softmax-values": 2.0}).verdict == "failed"


def test_float_noise_is_not_a_lost_point():
    assert judge_entry("variant", entry(), POINTS, FULL | {"softmax-values": 2.0 - 1e-12}).verdict == "passes"


def test_differing_cells_are_exact():
    a = {"x-1": 1.0, "x-2": 0.5}
    assert differing_cells([a, dict(a), dict(a)]) == []
    assert differing_cells([a, a | {"x-2": 0.5000001}, a]) == ["x-2"]
    assert differing_cells([a, {"x-1": 1.0}, a]) == ["x-2"]
    assert differing_cells([a, None, a]) == ["(not graded)"]


# -- guards and exit codes ------------------------------------------------------------------------


def fake_ci(**change):
    """A ci result that passes, built from score dictionaries; `change` breaks one part of it."""
    mutant_entry, variant_entry = entry("softmax", "m1"), entry("softmax_loss_naive", "v1")
    idle_entry = entry("softmax", "softmax_zeros")
    idle = f"{DO_NOTHING}_0"
    subs = [Submission("m1", ("losses",), (mutant_entry,)), Submission("v1", ("losses",), (variant_entry,)),
            *(Submission(f"{p}_solution", ("losses",), repeat_of="solution") for p in ("0", "m", "zz")),
            Submission(STUBS, ("losses",), solved=False), Submission(BROKEN, ("losses",), broken=True),
            Submission(idle, ("losses",), (idle_entry,), solved=False)]
    scores = {"m1": FULL | {"softmax-values": 1.0}, "v1": dict(FULL), STUBS: {g: 0.0 for g in POINTS},
              BROKEN: {g: 0.0 for g in POINTS},
              idle: {g: 0.0 for g in POINTS}, **{f"{p}_solution": dict(FULL) for p in ("0", "m", "zz")}}
    scores.update(change.pop("scores", {}))
    students = {s.student: Graded(s.student, i % 2, 1, 3, scores.get(s.student)) for i, s in enumerate(subs)}
    batch = Batch(students, change.pop("failed", set()), [], change.pop("stale", []), 2, 1.0, 2.0, None)
    entries = [judge_entry("mutant", mutant_entry, POINTS, scores.get("m1")),
               judge_entry("variant", variant_entry, POINTS, scores.get("v1")),
               judge_entry("do_nothing", idle_entry, POINTS, scores.get(idle))]
    repeats = [corpus_run.Repeat("solution", [students[f"{p}_solution"] for p in ("0", "m", "zz")], [])]
    repeats[0].differing = differing_cells([g.cells for g in repeats[0].copies])
    guards = ci_guards(POINTS, subs, batch, repeats, entries, change.pop("leaks", []))
    assert not change
    return CorpusResult(entries, batch, repeats, guards)


def failing(result) -> list[str]:
    return [g.name for g in result.guards if not g.passed]


def test_a_clean_ci_result_passes_every_guard():
    result = fake_ci()
    assert failing(result) == [] and result.exit_code == 0
    assert [g.name for g in result.guards] == [
        "release in sync", "release leak-free", "solution full marks", "stubs score zero",
        "do-nothing submission scores zero", "mutants killed", "isolation", "do-nothing answers earn nothing",
        "variants keep every point", "determinism", "every submission graded"]


@pytest.mark.parametrize("change, guard", [
    ({"scores": {"m1": dict(FULL)}}, "mutants killed"),                                   # a surviving mutant
    ({"scores": {"m1": FULL | {"softmax_loss_naive-values": 0.0}}}, "isolation"),        # an isolation defect
    ({"scores": {"v1": FULL | {"softmax_loss_naive-values": 2.5}}}, "variants keep every point"),
    ({"scores": {"m_solution": FULL | {"softmax-values": 1.0}}}, "determinism"),         # nondeterministic
    ({"scores": {STUBS: {g: 0.0 for g in POINTS} | {"softmax-values": 2.0}}}, "stubs score zero"),
    # a do-nothing answer earning a point on its own function, and the do-nothing submission scoring
    ({"scores": {f"{DO_NOTHING}_0": {g: 0.0 for g in POINTS} | {"softmax-stability": 0.5}}},
     "do-nothing answers earn nothing"),
    ({"scores": {f"{DO_NOTHING}_0": {g: 0.0 for g in POINTS} | {"softmax_loss_naive-values": 1.0}}},
     "do-nothing submission scores zero"),
    ({"stale": ["assignments/lecture3/losses.ipynb is stale"]}, "release in sync"),
    ({"leaks": ["assignments/lecture3/losses.ipynb holds the marker 'BEGIN SOLUTION'"]}, "release leak-free"),
    ({"failed": {"v1"}}, "every submission graded"),                                    # nbgrader failed on one
    ({"failed": {BROKEN}}, "every submission graded"),             # an unreadable notebook failed the student
    ({"scores": {BROKEN: {g: 0.0 for g in POINTS} | {"softmax-values": 1.0}}}, "every submission graded"),
])
def test_each_failure_fails_its_guard_and_the_exit_code(change, guard):
    result = fake_ci(**change)
    assert guard in failing(result)
    assert result.exit_code == 1


def test_solution_guard_fails_when_any_copy_loses_points():
    result = fake_ci(scores={f"{p}_solution": FULL | {"softmax-values": 0.0} for p in ("0", "m", "zz")})
    assert failing(result) == ["solution full marks"]  # the copies agree, so determinism holds


def test_corpus_guards_cover_only_the_kinds_graded():
    killed = judge_entry("mutant", entry(), POINTS, FULL | {"softmax-values": 0.0})
    assert [g.name for g in corpus_guards([killed])] == ["mutants killed", "isolation"]
    assert all(g.passed for g in corpus_guards([killed]))
    survived = judge_entry("mutant", entry(), POINTS, FULL)
    assert not corpus_guards([survived])[0].passed
    assert "bug (survived)" in corpus_guards([survived])[0].reason


@pytest.mark.parametrize("command", ["ci", "corpus"])
def test_cli_exits_nonzero_and_prints_fail_on_a_failing_result(monkeypatch, capsys, tmp_path, command):
    bad = fake_ci(scores={"m1": dict(FULL)})
    seen = {}

    def fake_run(repo, **kwargs):
        seen.update(kwargs)
        return bad

    monkeypatch.setattr(corpus_run, "run_ci", fake_run)
    monkeypatch.setattr(corpus_run, "run_corpus", fake_run)
    out = tmp_path / "result.json"
    code = cli.main(["--course", str(REPO / "course.yaml"), command, "--jobs", "3", "--json", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    assert "FAIL mutants killed: 0/1 killed" in printed and "PASS isolation" in printed
    assert seen["jobs"] == 3
    assert '"exit_code": 1' in out.read_text()


def test_cli_exits_zero_on_a_passing_result(monkeypatch, capsys):
    monkeypatch.setattr(corpus_run, "run_ci", lambda repo, **kw: fake_ci())
    assert cli.main(["--course", str(REPO / "course.yaml"), "ci"]) == 0
    assert "FAIL" not in capsys.readouterr().out


def test_cli_rejects_an_unknown_notebook(capsys):
    assert cli.main(["--course", str(REPO / "course.yaml"), "corpus", "--notebook", "lossses"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: --notebook lossses: expected one of " + ", ".join(NOTEBOOKS))


# -- the batch layout --------------------------------------------------------------------------------


def test_plan_holds_every_entry_the_guards_and_three_copies_of_each_repeat():
    entries = corpus_entries()
    subs = plan(NOTEBOOKS, entries, guards=True)
    names = {s.student for s in subs}
    assert {e.name for k, e in entries if k == "mutant"} <= names and {STUBS, BROKEN} <= names
    for kind, prefix, solved in (("do_nothing", DO_NOTHING, False), ("variant", VARIANTS, True)):
        grouped = [s for s in subs if s.student.startswith(prefix + "_")]
        in_groups = [e.name for s in grouped for e in s.entries]
        assert sorted(in_groups) == sorted(e.name for k, e in entries if k == kind)  # each once
        for s in grouped:   # one entry per function, on the stubs or the solution
            assert s.solved == solved and len({e.function for e in s.entries}) == len(s.entries)
            assert set(s.notebooks) >= {e.notebook for e in s.entries}
        if not solved:
            assert grouped[0].notebooks == tuple(NOTEBOOKS)   # do_nothing_0: the whole assignment
    for repeated in ("solution", "mixed"):
        copies = [s for s in subs if s.repeat_of == repeated]
        assert len(copies) == 3 and len({(s.notebooks, s.entries) for s in copies}) == 1
        assert copies[0].notebooks == tuple(NOTEBOOKS)
    mixed = next(s for s in subs if s.repeat_of == "mixed")
    assert sorted(e.notebook for e in mixed.entries) == sorted(NOTEBOOKS)  # one mutant in each notebook
    assert {e.name for e in mixed.entries} <= {e.name for k, e in entries if k == "mutant"}


def test_plan_refuses_two_submissions_with_one_name():
    e = entry(name="0_solution")
    with pytest.raises(corpus_run.CorpusRunError, match="two corpus entries or submissions are named 0_solution"):
        plan(NOTEBOOKS, [("mutant", e)], guards=True)


def test_plan_refuses_a_mutant_and_a_grouped_entry_with_one_name():
    """Entries are judged by name: a mutant named as a do-nothing answer would be judged on the
    do-nothing group's scores."""
    same = [("mutant", entry("sample_minibatch", "first_rows")),
            ("do_nothing", entry("sample_minibatch", "first_rows"))]
    with pytest.raises(corpus_run.CorpusRunError, match="named first_rows"):
        plan(NOTEBOOKS, same, guards=False)
    plan(NOTEBOOKS, corpus_entries(), guards=True)   # the corpus itself has no such clash


@pytest.mark.parametrize("jobs", [2, 3, 4])
def test_repeated_copies_run_first_in_the_middle_and_last_in_different_shards(jobs):
    subs = plan(NOTEBOOKS, corpus_entries(), guards=True)
    shards = assign_shards(subs, jobs)
    assert sorted(s.student for shard in shards for s in shard) == sorted(s.student for s in subs)
    loads = [sum(s.weight for s in shard) for shard in shards]
    assert max(loads) - min(loads) <= max(len(NOTEBOOKS), 1)  # balanced to within one full submission
    for repeated in ("solution", "mixed"):
        places = []
        for i, shard in enumerate(shards):
            order = grading_order([s.student for s in shard])
            places += [(i, order.index(s.student), len(order)) for s in shard if s.repeat_of == repeated]
        assert len({shard for shard, _, _ in places}) >= 2
        assert sorted(pos == 0 for _, pos, _ in places) == [False, False, True]          # one first
        assert sum(pos == n - 1 for _, pos, n in places) == 1                          # one last
        assert sum(0 < pos < n - 1 for _, pos, n in places) == 1                       # one in between


def test_grading_order_is_nbgraders_path_order():
    # nbgrader sorts submitted/<student>/<assignment> paths: "a/" sorts before "a_b/"
    assert grading_order(["a_b", "a", "0_x", "zz_x", "m_x"]) == ["0_x", "a", "a_b", "m_x", "zz_x"]


def test_keep_refuses_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(corpus_run.CorpusRunError, match="expected a new or empty folder"):
        with corpus_run._workdir(tmp_path):
            pass
    assert (tmp_path / "notes.txt").exists()
    kept = tmp_path / "kept"
    for _ in range(2):  # a folder a previous run kept is recreated
        with corpus_run._workdir(kept) as base:
            (base / "shard0").mkdir()
    assert (kept / corpus_run.KEEP_MARKER).exists()


# -- the release checks --------------------------------------------------------------------------------


def small_course(tmp_path: Path) -> Path:
    for folder in ("solutions", "assignments"):
        shutil.copytree(REPO / folder / "lecture3", tmp_path / folder / "lecture3",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return tmp_path


def test_the_committed_release_passes_both_checks():
    assert release_leaks(REPO, "lecture3") == []
    assert stale_release(REPO / "assignments", REPO / "assignments", "lecture3") == []


def test_a_stale_missing_or_extra_release_notebook_is_reported(tmp_path):
    root = small_course(tmp_path)
    generated = tmp_path / "generated"
    shutil.copytree(root / "assignments", generated)
    nb_path = root / "assignments" / "lecture3" / "losses.ipynb"
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells[0].source += "\nedited by hand"
    nbformat.write(nb, nb_path)
    (root / "assignments" / "lecture3" / "extra.ipynb").write_text(nb_path.read_text())
    (root / "assignments" / "lecture3" / "features.ipynb").unlink()
    problems = stale_release(generated, root / "assignments", "lecture3")
    assert problems == [
        "assignments/lecture3/features.ipynb is missing: run `nbgrader generate_assignment lecture3 --force` "
        "and commit assignments/",
        "assignments/lecture3/extra.ipynb is not generated by nbgrader: remove it or add its source to solutions/",
        "assignments/lecture3/losses.ipynb is stale: run `nbgrader generate_assignment lecture3 --force` "
        "and commit assignments/"]


def test_solution_text_or_markers_in_the_release_are_leaks(tmp_path):
    root = small_course(tmp_path)
    solution = nbformat.read(root / "solutions" / "lecture3" / "losses.ipynb", as_version=4)
    answer = next(c for c in solution.cells if "### BEGIN SOLUTION" in c.source)
    body = answer.source.split("### BEGIN SOLUTION\n", 1)[1].split("### END SOLUTION", 1)[0]
    release_path = root / "assignments" / "lecture3" / "losses.ipynb"
    release = nbformat.read(release_path, as_version=4)
    release.cells.append(nbformat.v4.new_code_cell(body))
    nbformat.write(release, release_path)
    [problem] = release_leaks(root, "lecture3")
    assert problem.startswith("assignments/lecture3/losses.ipynb holds ") and "solution or hidden-test line" in problem
    release.cells.append(nbformat.v4.new_code_cell("### BEGIN HIDDEN TESTS\nfrom grader import grade\n"))
    nbformat.write(release, release_path)
    problems = release_leaks(root, "lecture3")
    assert any("marker 'BEGIN HIDDEN TESTS'" in p for p in problems)
    assert any("hidden-test call 'from grader'" in p for p in problems)


def test_graded_functions_are_the_function_answers_in_course_order():
    functions = corpus_run.graded_functions(COURSE, NOTEBOOKS)
    names = [fn for _, fn in functions]
    assert names[:2] == ["multiclass_hinge_loss", "svm_loss_naive"]
    assert "LinearClassifier" in names and "extract_features" in names
    assert not any("questions" in fn for fn in names) and "hyperparameters" not in names  # answers, not code
    assert {e.function for _, e in corpus_entries()} <= set(names)


def test_do_nothing_earns_nothing_only_at_zero_on_its_own_cells():
    idle = entry("softmax", "softmax_zeros")
    zero = {g: 0.0 for g in POINTS}
    assert judge_entry("do_nothing", idle, POINTS, zero).verdict == "earns nothing"
    # another function's cells do not count (they hold the stubs or another do-nothing answer)
    assert judge_entry("do_nothing", idle, POINTS, zero | {"softmax_loss_naive-values": 3.0}).ok
    earned = judge_entry("do_nothing", idle, POINTS, zero | {"softmax-stability": 0.25})
    assert earned.verdict == "earns points" and earned.lost == {"softmax-stability": 0.25} and not earned.ok
    assert judge_entry("do_nothing", idle, POINTS, None).verdict == "not graded"


def test_differing_feedback_text_breaks_determinism_even_with_equal_scores():
    scores = {"x-1": 1.0}
    same = [{"x-1": "PASS  a"}, {"x-1": "PASS  a"}, {"x-1": "PASS  a"}]
    assert differing_cells([scores, scores, scores], same) == []
    warned = [{"x-1": "PASS  a"}, {"x-1": "PASS  a\nWarnings: ResourceWarning"}, {"x-1": "PASS  a"}]
    assert differing_cells([scores, scores, scores], warned) == ["x-1 (feedback text)"]


def test_grouped_variants_are_judged_on_their_own_cells_and_the_solutions():
    a, b = entry("softmax", "softmax_a"), entry("softmax_loss_naive", "naive_b")
    entries = [("variant", a), ("variant", b)]
    subs = corpus_run.grouped(VARIANTS, [a, b], NOTEBOOKS, solved=True)
    assert [s.student for s in subs] == [f"{VARIANTS}_0"] and subs[0].notebooks == ("losses",)
    full = corpus_run.autograded_points(COURSE, "losses")

    def verdicts(cells):
        batch = Batch({f"{VARIANTS}_0": Graded(f"{VARIANTS}_0", 0, 1, 1, cells)}, set(), [], [], 1, 1.0, 1.0, None)
        result = corpus_run.judge(COURSE, entries, subs, batch, ci=False)
        return {e.name: (e.verdict, e.student) for e in result.entries}

    assert verdicts(dict(full)) == {"softmax_a": ("passes", "variants_0"), "naive_b": ("passes", "variants_0")}
    # a lost point on softmax's cells fails only the softmax variant
    assert verdicts(full | {"softmax-values": 0.0})["naive_b"][0] == "passes"
    assert verdicts(full | {"softmax-values": 0.0})["softmax_a"][0] == "failed"
    # a lost point on a cell the solution answers (a question) fails every variant of the group
    assert {v for v, _ in verdicts(full | {"svm_questions-q1": 0.0}).values()} == {"failed"}
