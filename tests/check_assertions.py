"""Assertions shared by the tests of every notebook's checks."""

from __future__ import annotations


def assert_names_cause(outcome, cause: str) -> None:
    """The outcome failed with teaching feedback: what was expected, what came back, and a failed
    criterion whose likely cause contains `cause`."""
    report = outcome.report()
    assert "FAIL" in report and "expected:" in report and "got:" in report, report
    failed = ([outcome.basic] if outcome.gated else []) + [r for r in outcome.results if not r.passed]
    causes = [r.cause for r in failed]
    assert any(cause in c for c in causes), f"no failed criterion names {cause!r}:\n{report}"
    assert "likely cause: " in report


def assert_bug_effect(outcome, bug: str, check: str, *, loses: bool) -> None:
    """A buggy answer loses points on the checks its mistake touches, with feedback that says what
    was expected and what came back, and keeps every point on the others."""
    if loses:
        assert outcome.fraction < 1.0, f"{bug} should lose points on {check}:\n{outcome.report()}"
        failed = [r for r in outcome.results if not r.passed]
        assert all(r.expected and r.got for r in failed), outcome.report()
    elif outcome.gated:
        # The bug breaks the function's basic case, so no cell of the function earns credit
        # (DESIGN.md principle 10): the basic case must still say what went wrong.
        assert outcome.basic.expected and outcome.basic.got, outcome.report()
    else:
        assert outcome.fraction == 1.0, f"{bug} should not lose points on {check}:\n{outcome.report()}"


def assert_earns_nothing(outcome, name: str, *, gated: bool) -> None:
    """An answer that ignores its inputs scores 0; on a gated cell it fails the basic case, whose
    feedback says what was expected, what came back and the likely cause, and nothing else runs."""
    assert outcome.score == 0.0, f"{name} on {outcome.grade_id}:\n{outcome.report()}"
    if gated:
        assert outcome.gated and not outcome.results, outcome.report()
        basic = outcome.basic
        assert basic.expected and basic.got and basic.cause, outcome.report()


def assert_passes_basic_case(outcome, name: str) -> None:
    """A correct answer, or a slip that should keep partial credit, passes the basic case."""
    assert outcome.basic is not None and outcome.basic.passed, f"{name}:\n{outcome.report()}"
    assert outcome.results


def assert_basic_case_names_cause(outcome, cause: str) -> None:
    """The cell failed its basic case, and the feedback names `cause` as the likely one."""
    assert outcome.gated and cause in outcome.basic.cause, outcome.report()
    assert "the basic case failed" in outcome.report()
