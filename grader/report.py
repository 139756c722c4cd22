"""`grader report`: the instructor's view of a class, as one self-contained HTML page.

What the class got wrong comes first: the likely causes ranked across the class (each with its count,
its share of the graded students and the students concerned), then the share of students failing each
check, the score distributions per notebook and per task, who is not (or only partly) graded and why,
late submissions, hand-graded cells still waiting, and a sortable table of every student's totals.

Everything is read from the gradebook and the structured outcomes the trusted step stored
(grader.results); nothing is parsed from feedback text. The page makes no request: the plots are
inline SVG drawn by matplotlib, the styles and the table sorting are inline too.
"""

from __future__ import annotations

import html
import io
from collections import defaultdict
from dataclasses import dataclass, field

from .results import ClassResults, StudentResult

NAMES_SHOWN = 8        # students named beside a cause before "and N more" (the full list folds out)


@dataclass
class Cause:
    text: str
    students: set[str] = field(default_factory=set)
    tasks: set[str] = field(default_factory=set)
    cells: set[str] = field(default_factory=set)


def ranked_causes(results: ClassResults) -> list[Cause]:
    """Every likely cause named by a failed criterion, with the students and tasks concerned, most
    students first. A student counts once per cause, however many cells name it."""
    causes: dict[str, Cause] = {}
    for student in results.students:
        for cell in student.cells():
            for text in cell.causes:
                c = causes.setdefault(text, Cause(text))
                c.students.add(student.student)
                c.tasks.add(cell.task)
                c.cells.add(cell.grade_id)
    # Most students first; among equals, the cause that costs more test cells.
    return sorted(causes.values(), key=lambda c: (-len(c.students), -len(c.cells), c.text))


@dataclass
class CheckFailures:
    grade_id: str
    notebook: str
    task: str
    points: float
    failing: list[str]          # students who lost points on this cell
    graded: int                 # students graded on this cell
    criterion: str = ""         # the criterion failed most often
    criterion_count: int = 0


def check_failures(results: ClassResults) -> list[CheckFailures]:
    """Each autograded test cell: which graded students lost points on it, and its most failed criterion."""
    out = []
    for nb_name, nb in results.spec.notebooks.items():
        for task in nb.tasks.values():
            for grade_id, cell in task.tests.items():
                row = CheckFailures(grade_id, nb_name, task.name, cell.points, [], 0)
                tally: dict[str, int] = defaultdict(int)
                for s in results.students:
                    n = s.notebooks.get(nb_name)
                    if n is None or n.status != "graded":
                        continue
                    c = n.cells.get(grade_id)
                    if c is None or c.score is None:
                        continue
                    row.graded += 1
                    if c.score < c.points - 1e-9:
                        row.failing.append(s.student)
                    for crit in (c.outcome or {}).get("criteria", []):
                        if not crit.get("passed"):
                            tally[crit.get("checked", "")] += 1
                if tally:
                    row.criterion, row.criterion_count = max(tally.items(), key=lambda kv: (kv[1], kv[0]))
                out.append(row)
    return out


# -- plots -----------------------------------------------------------------------------------------

def _figure_svg(fig) -> str:
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]   # inline: without the XML declaration and DOCTYPE


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False,
                         "axes.spines.right": False, "svg.hashsalt": "grader-report"})
    return plt


def _histogram(ax, values: list[float], maximum: float, title: str) -> None:
    import numpy as np

    bins = np.linspace(0, maximum, min(int(maximum), 10) + 1 if maximum >= 1 else 2) if maximum > 0 else [0, 1]
    ax.hist(values, bins=bins, color="#4472c4", edgecolor="white")
    ax.set_title(title, fontsize=9)
    ax.set_xlim(0, maximum if maximum > 0 else 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    if values:
        mean = sum(values) / len(values)
        ax.axvline(mean, color="#c00000", linewidth=1)


def notebook_histograms(results: ClassResults) -> str:
    plt = _pyplot()
    nbs = list(results.spec.notebooks)
    fig, axes = plt.subplots(1, len(nbs) + 1, figsize=(2.3 * (len(nbs) + 1), 2.1), squeeze=False)
    graded = [s for s in results.students if s.status in ("graded", "partly graded")]
    for ax, nb in zip(axes[0], nbs):
        values = [s.notebooks[nb].score for s in graded if s.notebooks[nb].status == "graded"]
        _histogram(ax, values, results.max_points(nb), f"{nb} (/{results.max_points(nb):g})")
    _histogram(axes[0][-1], [s.score for s in graded], results.max_points(), f"total (/{results.max_points():g})")
    axes[0][0].set_ylabel("students")
    fig.tight_layout()
    return _figure_svg(fig)


def task_histograms(results: ClassResults) -> str:
    plt = _pyplot()
    tasks = [(nb_name, t) for nb_name, nb in results.spec.notebooks.items() for t in nb.tasks.values()]
    cols = 6
    rows = (len(tasks) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(2.0 * cols, 1.55 * rows), squeeze=False)
    for i, (nb_name, task) in enumerate(tasks):
        ax = axes[i // cols][i % cols]
        values = []
        for s in results.students:
            n = s.notebooks.get(nb_name)
            if n is not None and n.status == "graded":
                values.append(sum(c.score or 0.0 for c in n.cells.values() if c.task == task.name))
        name = task.name if len(task.name) <= 24 else task.name[:23] + "…"
        _histogram(ax, values, task.points, f"{name} (/{task.points:g})" + (" ✎" if task.manual else ""))
        ax.tick_params(labelsize=7)
        ax.title.set_fontsize(7.5)
    for j in range(len(tasks), rows * cols):
        axes[j // cols][j % cols].axis("off")
    fig.tight_layout()
    return _figure_svg(fig)


def failure_bars(rows: list[tuple[str, float]], xlabel: str, color: str) -> str:
    """A horizontal bar per (label, share in [0, 1]), the largest first."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(9, 0.28 * len(rows) + 0.7))
    labels = [r[0] for r in rows][::-1]
    shares = [100 * r[1] for r in rows][::-1]
    ax.barh(range(len(rows)), shares, color=color)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    for y, v in enumerate(shares):
        ax.text(v + 1, y, f"{v:.0f}%", va="center", fontsize=7.5)
    fig.tight_layout()
    return _figure_svg(fig)


# -- the page ----------------------------------------------------------------------------------------

def _e(text) -> str:
    return html.escape(str(text))


def _names(students: list[str] | set[str]) -> str:
    names = sorted(students)
    shown = ", ".join(_e(n) for n in names[:NAMES_SHOWN])
    if len(names) <= NAMES_SHOWN:
        return shown
    return (f"{shown} <details><summary>and {len(names) - NAMES_SHOWN} more</summary>"
            f"{', '.join(_e(n) for n in names[NAMES_SHOWN:])}</details>")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def _duration(seconds: float) -> str:
    minutes = int(round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return (f"{days} d " if days else "") + f"{hours} h {minutes:02d} min"


STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:1.5em auto;max-width:1200px;
color:#222;padding:0 1em;line-height:1.4}
h1{font-size:1.6em;margin-bottom:.2em}
h2{margin-top:1.6em;border-bottom:2px solid #4472c4;padding-bottom:.2em;font-size:1.25em}
.summary{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}
.summary div{background:#f2f5fb;border-radius:6px;padding:.6em 1em}
.summary b{display:block;font-size:1.4em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;
vertical-align:top}th{background:#f2f5fb}td.num,th.num{text-align:right}
table.sortable th{cursor:pointer;user-select:none}table.sortable th:after{content:" \\2195";color:#999}
.share{font-weight:bold;color:#c00000;white-space:nowrap}.cause{font-size:1.05em;min-width:24em}
td.tasks{font-size:.85em;max-width:16em;color:#444}
.muted{color:#666}.ok{color:#2e7d32}.bad{color:#c00000}.warn{color:#b26a00}
details{display:inline}details summary{cursor:pointer;color:#4472c4}
nav a{margin-right:1em}svg{max-width:100%;height:auto}
"""

SORT_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var asc = th.getAttribute("data-order") !== "asc";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("data-order"); });
      th.setAttribute("data-order", asc ? "asc" : "desc");
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-value") || a.cells[col].textContent;
        var y = b.cells[col].getAttribute("data-value") || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y), r;
        if (!isNaN(nx) && !isNaN(ny)) { r = nx - ny; } else { r = x.localeCompare(y); }
        return asc ? r : -r;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""


def render_report(results: ClassResults) -> str:
    """The report page, as one HTML string with everything inline."""
    spec = results.spec
    students = results.students
    graded = [s for s in students if s.status in ("graded", "partly graded")]
    n = len(graded)
    causes = ranked_causes(results)
    checks = check_failures(results)
    late = [s for s in students if s.late_seconds > 0]
    waiting = _pending_manual(results)
    not_graded = [s for s in students if s.status != "graded"]
    total_max = results.max_points()
    mean = sum(s.score for s in graded) / n if n else 0.0
    out = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
           f"<title>{_e(results.course.course_id)} / {_e(results.assignment)}: class report</title>"
           f"<style>{STYLE}</style></head><body>",
           f"<h1>{_e(results.course.course_id)} / {_e(results.assignment)}: what the class got wrong</h1>",
           "<div class='summary'>",
           f"<div><b>{len(students)}</b>students</div>",
           f"<div><b>{n}</b>graded</div>",
           f"<div><b class='{'bad' if not_graded else 'ok'}'>{len(not_graded)}</b>not or partly graded</div>",
           f"<div><b>{mean:.1f} / {total_max:g}</b>mean score</div>",
           f"<div><b>{len(late)}</b>late</div>",
           f"<div><b>{sum(len(w[1]) for w in waiting)}</b>hand-graded answers waiting</div>",
           "</div>",
           "<nav><a href='#causes'>likely causes</a><a href='#checks'>checks failed</a>"
           "<a href='#distributions'>distributions</a><a href='#status'>not graded</a><a href='#late'>late</a>"
           "<a href='#manual'>hand grading</a><a href='#students'>students</a></nav>"]

    # 1. The likely causes, ranked: what to re-teach.
    out.append("<h2 id='causes'>What to re-teach: likely causes, ranked across the class</h2>")
    if not causes:
        out.append("<p class='ok'>No check failed with a likely cause.</p>")
    else:
        out.append("<table id='cause-table'><thead><tr><th class='num'>share</th><th class='num'>students</th>"
                   "<th>likely cause</th><th>tasks</th><th>who</th></tr></thead><tbody>")
        for c in causes:
            out.append(f"<tr><td class='num share'>{_pct(len(c.students), n)}</td>"
                       f"<td class='num'>{len(c.students)}</td><td class='cause'>{_e(c.text)}</td>"
                       f"<td class='tasks'>{', '.join(_e(t) for t in sorted(c.tasks))}</td>"
                       f"<td>{_names(c.students)}</td></tr>")
        out.append("</tbody></table>")
        out.append(failure_bars([(_short(c.text), len(c.students) / max(n, 1)) for c in causes[:15]],
                                "share of graded students", "#c0504d"))

    # 2. The share of students failing each check.
    out.append("<h2 id='checks'>Share of students failing each check</h2>")
    failing = sorted((c for c in checks if c.failing), key=lambda c: (-len(c.failing) / max(c.graded, 1), c.grade_id))
    if failing:
        out.append(failure_bars([(c.grade_id, len(c.failing) / max(c.graded, 1)) for c in failing[:30]],
                                "share of graded students who lost points", "#4472c4"))
    out.append("<table class='sortable' id='check-table'><thead><tr><th>test cell</th><th>notebook</th>"
               "<th class='num'>points</th><th class='num'>failing</th><th class='num'>share</th>"
               "<th>criterion failed most often</th></tr></thead><tbody>")
    for c in failing:
        share = len(c.failing) / c.graded if c.graded else 0.0
        crit = f"{_e(c.criterion)} <span class='muted'>({c.criterion_count})</span>" if c.criterion else ""
        out.append(f"<tr><td>{_e(c.grade_id)}</td><td>{_e(c.notebook)}</td><td class='num'>{c.points:g}</td>"
                   f"<td class='num'>{len(c.failing)} / {c.graded}</td>"
                   f"<td class='num' data-value='{share:.4f}'>{_pct(len(c.failing), c.graded)}</td>"
                   f"<td>{crit}</td></tr>")
    out.append("</tbody></table>")
    passed = sorted(c.grade_id for c in checks if not c.failing)
    if passed:
        out.append(f"<p><details><summary>{len(passed)} test cells no graded student failed</summary>"
                   f"{', '.join(_e(g) for g in passed)}</details></p>")

    # 3. Score distributions.
    out.append("<h2 id='distributions'>Score distributions</h2><p class='muted'>Graded students; the red line is "
               "the mean. Tasks marked ✎ include points graded by hand (0 until graded).</p>")
    out.append("<h3>per notebook</h3>" + notebook_histograms(results))
    out.append("<h3>per task</h3>" + task_histograms(results))

    # 4. Not graded or partly graded, and why.
    out.append("<h2 id='status'>Not graded or partly graded, and why</h2>")
    if not not_graded:
        out.append("<p class='ok'>Every student is graded.</p>")
    else:
        out.append("<table id='status-table'><thead><tr><th>student</th><th>status</th><th>why</th>"
                   + "".join(f"<th>{_e(nb)}</th>" for nb in spec.notebooks) + "</tr></thead><tbody>")
        for s in not_graded:
            cells = "".join(f"<td class='{'ok' if s.notebooks[nb].status == 'graded' else 'bad'}'>"
                            f"{_e(s.notebooks[nb].status)}</td>" for nb in spec.notebooks)
            out.append(f"<tr><td>{_e(s.student)}</td><td class='bad'>{_e(s.status)}</td><td>{_e(s.cause)}</td>"
                       f"{cells}</tr>")
        out.append("</tbody></table>")
    if results.status_source == "disk":
        out.append("<p class='muted'>Statuses derived from the course folders (the gradebook holds no status "
                   "table).</p>")

    # 5. Late submissions.
    out.append("<h2 id='late'>Late submissions</h2>")
    if not late:
        out.append("<p class='ok'>No submission is late.</p>")
    else:
        out.append("<table id='late-table'><thead><tr><th>student</th><th class='num'>late by</th>"
                   "<th class='num'>penalty</th></tr></thead><tbody>")
        for s in sorted(late, key=lambda s: -s.late_seconds):
            out.append(f"<tr><td>{_e(s.student)}</td><td class='num'>{_duration(s.late_seconds)}</td>"
                       f"<td class='num'>{s.late_penalty:g}</td></tr>")
        out.append("</tbody></table>")

    # 6. Hand-graded cells still waiting.
    out.append("<h2 id='manual'>Hand-graded answers still waiting</h2>")
    if not waiting:
        out.append("<p class='ok'>No answer is waiting to be graded by hand.</p>")
    else:
        out.append("<table id='manual-table'><thead><tr><th>answer cell</th><th>notebook</th>"
                   "<th class='num'>points</th><th class='num'>waiting</th><th>students</th></tr></thead><tbody>")
        for (grade_id, nb_name, points), who in waiting:
            out.append(f"<tr><td>{_e(grade_id)}</td><td>{_e(nb_name)}</td><td class='num'>{points:g}</td>"
                       f"<td class='num'>{len(who)}</td><td>{_names(who)}</td></tr>")
        out.append("</tbody></table>")

    # 7. Per-student totals, sortable.
    out.append("<h2 id='students'>Students</h2><p class='muted'>Click a column to sort.</p>")
    out.append("<table class='sortable' id='student-table'><thead><tr><th>student</th><th>name</th><th>status</th>"
               + "".join(f"<th class='num'>{_e(nb)} /{results.max_points(nb):g}</th>" for nb in spec.notebooks)
               + f"<th class='num'>total /{total_max:g}</th><th class='num'>hand pending</th></tr></thead><tbody>")
    for s in students:
        out.append(_student_row(s, spec))
    out.append("</tbody></table>")
    out.append(f"<script>{SORT_SCRIPT}</script></body></html>")
    return "\n".join(out)


def _student_row(s: StudentResult, spec) -> str:
    name = " ".join(x for x in (s.first_name, s.last_name) if x)
    cells = []
    for nb in spec.notebooks:
        r = s.notebooks[nb]
        if r.status == "graded":
            cells.append(f"<td class='num' data-value='{r.score or 0:.3f}'>{r.score or 0:.1f}</td>")
        else:
            cells.append(f"<td class='num bad' data-value='-1'>{_e(r.status)}</td>")
    style = "ok" if s.status == "graded" else "bad"
    pending = sum(c.points for c in s.pending_manual)
    return (f"<tr><td>{_e(s.student)}</td><td>{_e(name)}</td><td class='{style}'>{_e(s.status)}</td>{''.join(cells)}"
            f"<td class='num' data-value='{s.score:.3f}'><b>{s.score:.1f}</b></td>"
            f"<td class='num'>{pending:g}</td></tr>")


def _pending_manual(results: ClassResults) -> list[tuple[tuple[str, str, float], list[str]]]:
    waiting: dict[tuple[str, str, float], list[str]] = {}
    for s in results.students:
        for nb_name, nb in s.notebooks.items():
            if nb.status != "graded":
                continue
            for c in nb.cells.values():
                if c.kind == "manual" and c.score is None:
                    waiting.setdefault((c.grade_id, nb_name, c.points), []).append(s.student)
    return sorted(waiting.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))


def write_report(results: ClassResults, out) -> int:
    """Write the page; returns its size in bytes."""
    from pathlib import Path

    data = render_report(results).encode("utf-8")
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_bytes(data)
    return len(data)
