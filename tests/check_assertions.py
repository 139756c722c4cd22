"""Assertions shared by the tests of every notebook's checks."""

from __future__ import annotations


def assert_names_cause(outcome, cause: str) -> None:
    """The outcome failed with teaching feedback: what was expected, what came back, and a failed
    criterion whose likely cause contains `cause`."""
    report = outcome.report()
    assert "FAIL" in report and "expected:" in report and "got:" in report, report
    causes = [r.cause for r in outcome.results if not r.passed]
    assert any(cause in c for c in causes), f"no failed criterion names {cause!r}:\n{report}"
    assert "likely cause: " in report
