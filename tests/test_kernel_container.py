"""The student's kernel in its container, started as autograde starts it (nbclient, ContainedExecute),
on a notebook whose folder sits inside a course: what it can see, reach and do."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from traitlets.config import Config

from grader.sandbox.kernel import ContainedExecute, ContainedKernelManager, python_paths

PROBE = r'''
import json, os, resource, socket
def can_connect(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
print(json.dumps({
    "cwd": os.getcwd(), "files": sorted(os.listdir(".")), "uid": os.getuid(), "pid": os.getpid(),
    "processes": sorted(p for p in os.listdir("/proc") if p.isdigit()),
    "course_visible": os.path.exists(COURSE), "root": sorted(os.listdir("/")),
    "host_server": can_connect(PORT), "home": os.path.expanduser("~"),
    "memory": resource.getrlimit(resource.RLIMIT_AS)[0], "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
    "env": sorted(os.environ),
}))
'''


# What students do with files: all of it must keep working in the container.
STUDENT_WORK = r'''
import os
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
plt.plot([0, 1], [1, 0])
plt.savefig("plot.png")
plt.savefig("/tmp/plot.png")
with open("scratch.txt", "w") as fh:
    fh.write("ok")
try:
    open("datasets/new.txt", "w")
    data_writable = True
except OSError:
    data_writable = False
print(os.path.getsize("plot.png") > 0, os.path.getsize("/tmp/plot.png") > 0, open("scratch.txt").read(),
      open("datasets/batch.txt").read(), data_writable, load_digits().data.shape)
'''


@pytest.fixture(scope="module")
def probed(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    (course / "gradebook.db").write_text("secret")
    folder = course / "autograded" / "alice" / "lecture3"
    folder.mkdir(parents=True)
    (folder / "helper.py").write_text("x = 1")
    (folder / "other.ipynb").write_text("{}")
    (course / "datasets").mkdir()
    (course / "datasets" / "batch.txt").write_text("declared data")
    server = socket.create_server(("127.0.0.1", 0))
    code = f"COURSE, PORT = {str(course)!r}, {server.getsockname()[1]}\n" + PROBE
    nb = new_notebook(cells=[new_code_cell(code), new_code_cell(STUDENT_WORK)])
    config = Config()
    config.ContainedKernelManager.data_mounts = [[str(course / "datasets"), "datasets"]]
    ep = ContainedExecute(timeout=60, config=config)
    ep.preprocess(nb, {"metadata": {"path": str(folder)}})
    server.close()
    text = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    return {"seen": json.loads(text), "course": course, "folder": folder, "nb": nb}


def test_the_kernel_sees_only_a_copy_of_its_folders_extra_files(probed):
    seen = probed["seen"]
    assert seen["cwd"] == "/home/student/lecture3" and seen["home"] == "/home/student"
    assert seen["files"] == ["datasets", "helper.py"]  # no notebooks: not even the student's others
    assert not seen["course_visible"]
    assert not (probed["folder"] / "scratch.txt").exists()     # what it writes stays in its container
    # The root holds the system folders, the kernel's own, and the first folder of each path it is given:
    # the Python installation and the temporary folder shared with nbgrader. Where they live differs
    # between machines (a checkout's .venv may sit anywhere), so those names come from the paths themselves.
    given = {Path(p).parts[1] for p in [*python_paths(), tempfile.gettempdir()]}
    assert set(seen["root"]) <= {"bin", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "proc",
                                 "sbin", "tmp", "usr", *given}
    assert not set(seen["root"]) & {"root", "var", "srv", "mnt", "opt", "media", "boot"} - given


def test_plots_scratch_files_declared_data_and_digits_work(probed):
    printed = "".join(o.get("text", "") for o in probed["nb"].cells[1].outputs)
    assert printed.strip() == "True True ok declared data False (1797, 64)", probed["nb"].cells[1].outputs


def test_the_kernel_is_alone_unprivileged_offline_and_limited(probed):
    seen = probed["seen"]
    assert seen["pid"] == 1 and seen["processes"] == ["1"]
    assert seen["uid"] != 0
    assert seen["host_server"] is False
    assert seen["memory"] == ContainedKernelManager.memory_mb.default_value * 2**20
    assert seen["nproc"] == ContainedKernelManager.processes.default_value
    assert "JPY_PARENT_PID" in seen["env"] and not any(k.startswith("COURSE") for k in seen["env"])


REFUSED_RUN = r'''
import logging, sys
from nbformat.v4 import new_code_cell, new_notebook
from grader.sandbox.kernel import ContainedExecute
logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(message)s")
for _ in range(2):
    ep = ContainedExecute(timeout=60, log=logging.getLogger("autograde"))
    nb = new_notebook(cells=[new_code_cell("import os; print('ran', os.getpid() != 1)")])
    ep.preprocess(nb, {"metadata": {"path": "."}})
    print(nb.cells[0].outputs[0]["text"].strip())
'''


@pytest.mark.skipif(not shutil.which("setpriv") or os.geteuid() != 0, reason="needs root and setpriv to take "
                    "away the right to make namespaces")
def test_where_namespaces_are_refused_the_kernel_runs_unconfined_with_one_warning_per_run(tmp_path):
    # Without CAP_SYS_ADMIN (a container that forbids unshare), as on a system without user namespaces.
    run = subprocess.run(["setpriv", "--bounding-set", "-sys_admin", sys.executable, "-c", REFUSED_RUN],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["ran", "True", "ran", "True"], run.stderr[-2000:]
    warnings = [line for line in run.stderr.splitlines() if "NOT contained" in line]
    assert len(warnings) == 1, run.stderr[-2000:]
    assert "unshare refused (Operation not permitted)" in warnings[0]
    assert "can read what this user can read" in warnings[0]


ABANDONING_PARENT = r'''
import asyncio, os, tempfile
from grader.sandbox.kernel import ContainedKernelManager
async def main():
    km = ContainedKernelManager(kernel_name="python3")
    await km.start_kernel(cwd=tempfile.mkdtemp())
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    print(km.provisioner.process.pid, flush=True)
    os._exit(0)                     # as nbgrader killed or crashing: no shutdown of the kernel
asyncio.run(main())
'''


def test_a_kernel_whose_nbgrader_dies_without_shutting_it_down_ends_too(tmp_path):
    run = subprocess.run([sys.executable, "-c", ABANDONING_PARENT], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120)
    launcher = int(run.stdout.split()[0])
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{launcher}") and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = os.path.exists(f"/proc/{launcher}") and "Z" not in Path(f"/proc/{launcher}/stat").read_text().split()[2]
    assert not alive, "the kernel's launcher outlived the process that started it"


def test_a_kernel_whose_launcher_is_killed_dies_with_it(tmp_path):
    import asyncio
    import signal

    from grader.sandbox.kernel import ContainedKernelManager

    async def start():
        km = ContainedKernelManager(kernel_name="python3")
        await km.start_kernel(cwd=str(tmp_path))
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=60)
        kc.stop_channels()
        return km

    km = asyncio.run(start())
    launcher = km.provisioner.process.pid
    kernels = [int(p) for p in Path(f"/proc/{launcher}/task/{launcher}/children").read_text().split()]
    assert len(kernels) == 1
    os.kill(launcher, signal.SIGKILL)          # what jupyter does when a shutdown times out
    km.provisioner.process.wait()
    deadline = time.monotonic() + 10
    while os.path.exists(f"/proc/{kernels[0]}") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not os.path.exists(f"/proc/{kernels[0]}"), "the kernel outlived its launcher"
    asyncio.run(km._async_cleanup_resources())


def test_a_kernel_that_ignores_interrupts_is_stopped_and_the_notebook_goes_on(tmp_path):
    loop = "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)"
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell(loop), new_code_cell("print('after')")])
    ep = ContainedExecute(timeout=3)
    ep.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    errors = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert errors[-1].ename == "UnresponsiveKernel" and "ignored the interrupt" in errors[-1].evalue
    assert nb.cells[2].outputs == []                   # not run in the stopped kernel, and no failure
    nbformat.validate(nb)
