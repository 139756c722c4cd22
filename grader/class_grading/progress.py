"""Progress of a class run: a rich bar on a terminal, one line per student elsewhere, and a summary.

nbgrader's repeated harmless warnings are dropped from the console (they stay in the log file)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

HARMLESS = [re.compile(p) for p in (
    r"Attribute 'checksum' for cell .* has changed",  # OverwriteCells restoring hidden tests: normal
    r"SAWarning|sqlalchemy|SQLAlchemy",
    r"[Pp]ort[s]? .*(in use|already)|kernel ports|Kernel ports",
    r"is \d+(\.\d+)? seconds late",               # shown in the scores instead
    r"Removing failed assignment",                # the status says it
    r"No submitted file:",                        # reported as a missing notebook
    r"Skipping unknown notebook",
)]


def notable_lines(log: str) -> list[str]:
    """nbgrader's WARNING and ERROR lines that are worth a person's attention."""
    out = []
    for line in log.splitlines():
        if ("| WARNING]" in line or "| ERROR]" in line) and not any(p.search(line) for p in HARMLESS):
            out.append(line.split("] ", 1)[-1].strip())
    return out


@dataclass
class Tally:
    total: int
    skipped: list[str] = field(default_factory=list)
    graded: list[str] = field(default_factory=list)
    not_graded: dict[str, str] = field(default_factory=dict)   # student -> cause
    started: float = field(default_factory=time.perf_counter)
    interrupted: bool = False
    seconds: dict[str, dict] = field(default_factory=dict)  # student -> the task's timings

    @property
    def done(self) -> int:
        return len(self.graded) + len(self.not_graded)

    def wall(self) -> float:
        return time.perf_counter() - self.started

    def per_minute(self) -> float:
        return 60 * self.done / self.wall() if self.wall() > 0 else 0.0


class Reporter:
    """Shows each finished student; `bar=True` for a terminal (rich.progress), else plain lines."""

    def __init__(self, console, tally: Tally, bar: bool):
        self.console, self.tally, self.progress, self.task = console, tally, None, None
        if bar:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn,
                                       TimeElapsedColumn, TimeRemainingColumn)

            self.progress = Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                                     TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                                     TimeRemainingColumn(), TextColumn("[red]{task.fields[failed]}"),
                                     console=console, transient=False)

    def __enter__(self):
        if self.progress:
            self.progress.start()
            self.task = self.progress.add_task("grading", total=self.tally.total, rate="", failed="")
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()

    def student(self, student: str, status: str, detail: str, notes: list[str]) -> None:
        t = self.tally
        line = f"[{t.done}/{t.total}] {student}: {status}" + (f" ({detail})" if detail else "")
        if self.progress:
            failed = f"{len(t.not_graded)} not graded" if t.not_graded else ""
            self.progress.update(self.task, completed=t.done, rate=f"{t.per_minute():.1f} students/min",
                                 failed=failed)
            if status != "graded" or notes:
                self.progress.console.print(line)
        else:
            self.console.print(line, highlight=False, soft_wrap=True)
        for note in notes[:5]:
            self.console.print(f"    {note[:200]}", highlight=False, soft_wrap=True)
        self.console.file.flush()  # a pipe or log file sees each student as it is done


def summary_lines(t: Tally) -> list[str]:
    """The closing summary: counts, causes, wall time and rate."""
    lines = [("interrupted: " if t.interrupted else "") +
             f"{len(t.graded)} graded, {len(t.not_graded)} not graded, {len(t.skipped)} skipped as unchanged"
             + (f", {t.total - t.done} not started" if t.interrupted else "")
             + f" in {t.wall():.1f} s ({t.per_minute():.1f} students/min)"]
    for student, cause in sorted(t.not_graded.items()):
        lines.append(f"  not graded: {student}: {cause}")
    return lines
