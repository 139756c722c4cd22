"""The class report in headless Chromium: it renders, its screenshot is taken, its content and its
sortable table work in a real browser, and it makes no network request.

Every request the browser makes goes through a recording proxy. Chromium itself calls a few of its
vendor's hosts whatever the page (a clock, sign-in): those hosts are learnt from a blank page in the
same harness, and the page under test may request nothing else. The same harness fed a page with one
external image records that request, so an empty record means no request."""

from __future__ import annotations

import functools
import html
import os
import re
import shutil
import subprocess
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from test_report_fixture import ASSIGNMENT, build_class

from grader.course import load_course

SHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"


def chromium() -> str:
    """Debian's chromium. As root (CI, `make setup`) it is installed, so missing is a failure; as an
    ordinary user the browser tests skip with how to install it."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    reason = "Chromium is not installed: run `apt-get install -y chromium` as root (`make setup` does it)"
    if os.geteuid() != 0:
        pytest.skip(reason)
    pytest.fail(reason + "; as root, .ci/run and make setup install it")


class Recorder:
    """An HTTP proxy that answers every request with 502 and remembers it."""

    def __init__(self):
        seen = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def _any(self):
                seen.append(f"{self.command} {self.path}")
                self.send_response(502)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = do_HEAD = do_CONNECT = do_PUT = do_OPTIONS = _any

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def port(self) -> int:
        return self.server.server_address[1]


def run_chromium(page: Path, *args: str, proxy_port: int | None = None, timeout: int = 90) -> str:
    """Headless Chromium on a file, with a fresh profile and no background networking; returns stdout."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--hide-scrollbars", f"--user-data-dir={profile}"]
        if proxy_port is not None:
            cmd += [f"--proxy-server=http://127.0.0.1:{proxy_port}", "--proxy-bypass-list=<-loopback>"]
        out = subprocess.run([*cmd, *args, page.resolve().as_uri()], capture_output=True, text=True,
                             timeout=timeout, check=False)
        return out.stdout


def _host(request: str) -> str:
    """The host of a proxied request line: `GET http://host/...` or `CONNECT host:443`."""
    target = request.split(" ", 1)[1]
    return re.sub(r"^\w+://", "", target).split("/", 1)[0].rsplit(":", 1)[0]


@functools.lru_cache(maxsize=1)
def browser_own_hosts() -> frozenset[str]:
    """The hosts Chromium calls by itself, learnt from a blank page."""
    with tempfile.TemporaryDirectory() as folder:
        blank = Path(folder) / "blank.html"
        blank.write_text("<html><body>blank</body></html>", encoding="utf-8")
        with Recorder() as proxy:
            run_chromium(blank, "--dump-dom", proxy_port=proxy.port)
    return frozenset(_host(r) for r in proxy.requests)


def page_requests(requests: list[str]) -> list[str]:
    """The requests that are not Chromium's own."""
    own = browser_own_hosts()
    return [r for r in requests if _host(r) not in own]


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 1600, proxy_port: int | None = None) -> Path:
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    run_chromium(page, f"--screenshot={png}", f"--window-size={width},{height}", proxy_port=proxy_port)
    assert png.is_file() and png.stat().st_size > 10_000, f"no screenshot of {page}"
    return png


def png_colours(png: Path) -> int:
    from PIL import Image

    with Image.open(png) as im:
        return len(im.convert("RGB").resize((320, 400)).getcolors(1 << 20) or [])


def dom_text(dom: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom)))


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    import nbgrader.api

    from grader.report import write_report
    from grader.results import load_class

    with pytest.MonkeyPatch.context() as mp:   # nbgrader asks alembic once per gradebook open: once is enough
        mp.setattr(nbgrader.api, "get_alembic_version", functools.lru_cache(nbgrader.api.get_alembic_version))
        root = build_class(tmp_path_factory.mktemp("class") / "course")
        course = load_course(root / "course.yaml", check_notebooks=False)
        results = load_class(course, ASSIGNMENT, f"sqlite:///{root / 'gradebook.db'}", root)
    out = root / "report.html"
    write_report(results, out)
    return out


def test_the_report_renders_shows_the_causes_first_and_requests_nothing(report):
    with Recorder() as proxy:
        png = screenshot(report, SHOTS / "report.png", proxy_port=proxy.port)
        dom = run_chromium(report, "--dump-dom", proxy_port=proxy.port)
    assert page_requests(proxy.requests) == []
    assert png_colours(png) > 50          # the plots are drawn, not a blank page
    text = dom_text(dom)
    # What an instructor reads first: the causes, most students first, with share and names.
    first = text.index("What to re-teach")
    assert text.index("50% 2 the regularization gradient is missing: add 2 * reg * W", first) < \
        text.index("25% 1 the function is still the stub", first)
    assert "svm_loss_vectorized ben, cat" in text
    for heading in ("Share of students failing each check", "Score distributions", "Late submissions",
                    "Hand-graded answers still waiting", "Not graded or partly graded, and why"):
        assert heading in text
    assert "eve not graded the grading worker died 3 times" in text
    assert "dan partly graded features: missing (no notebook submitted)" in text
    assert "cat 2 d 3 h 00 min 5" in text


def test_the_student_table_sorts_in_the_browser(report, tmp_path):
    """A click on a column header sorts by it, numbers as numbers (the rows start in name order)."""
    page = tmp_path / "sorted.html"
    click = ("<script>var th = [].find.call(document.querySelectorAll('#student-table th'),"
             " function (h) { return h.textContent.indexOf('total') === 0; }); th.click();</script>")
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", click + "</body>"), encoding="utf-8")
    dom = run_chromium(page, "--dump-dom")
    table = dom[dom.index("id=\"student-table\""):]
    order = re.findall(r"<tr><td>(\w+)</td>", table)
    assert order == ["eve", "dan", "cat", "ben", "ann"], order   # ascending totals


def test_the_recorder_sees_a_page_that_does_request(tmp_path):
    """The harness is not blind: one external image is one recorded request."""
    page = tmp_path / "external.html"
    page.write_text("<html><body><img src='http://cdn.invalid/x.png'><p>x</p></body></html>", encoding="utf-8")
    with Recorder() as proxy:
        run_chromium(page, "--dump-dom", proxy_port=proxy.port)
    assert [_host(r) for r in page_requests(proxy.requests)] == ["cdn.invalid"], proxy.requests


def test_the_page_is_self_contained(report):
    text = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)
    assert "@import" not in text and "url(http" not in text
    assert text.count("<svg") >= 4     # histograms per notebook and task, bars of causes and checks


def test_grader_report_and_the_demo_write_the_page(report, tmp_path, capsys):
    from grader.cli import main
    from grader.demo import write_demo_report

    root = report.parent
    out = tmp_path / "r.html"
    assert main(["--course", str(root / "course.yaml"), "report", "--gradebook", str(root / "gradebook.db"),
                 "--out", str(out)]) == 0
    assert f"report: {out}" in capsys.readouterr().out
    assert "the regularization gradient is missing" in out.read_text(encoding="utf-8")
    assert main(["--course", str(root / "course.yaml"), "report", "--gradebook", str(tmp_path / "none.db")]) == 2
    course = load_course(root / "course.yaml", check_notebooks=False)
    assert write_demo_report(root, course) == root / "report.html"


def test_a_missing_browser_skips_only_for_an_ordinary_user(monkeypatch):
    """As root (CI, `make setup`) Chromium is installed, so its absence fails the browser tests."""
    import test_report_browser as me

    monkeypatch.setattr(me.shutil, "which", lambda name: None)
    monkeypatch.setattr(me.os, "geteuid", lambda: 1000)
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        chromium()
    monkeypatch.setattr(me.os, "geteuid", lambda: 0)
    with pytest.raises(pytest.fail.Exception, match="as root"):
        chromium()
