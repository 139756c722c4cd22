"""Starts the student's kernel in a container of its own:
`python -I kernel_container.py <settings.json> -- <kernel command>`.

Runs before the kernel, as a plain script (it imports nothing from the course). On Linux the kernel gets:

- its own file system: a private tmpfs as its root holding only the system's programs and libraries
  (/usr, /lib, /bin), a minimal /etc, the Python environment and the course's declared data, all
  read-only, a writable /tmp and HOME, and a private copy of its notebook's folder (extra files only,
  no notebooks) as its working directory. The course, the gradebook, the solutions, other students'
  folders and the instructor's home are not there to be read: the old root is unmounted;
- a private network namespace with only loopback (it talks to nbgrader over Unix sockets, in a folder
  of its own that is the one place it shares with nbgrader);
- a private PID namespace whose first process is the kernel: it sees no other process, and when it
  ends, every process it started ends with it;
- a user of its own (as root: a user id no other process has, so the process limit is its alone), no
  capabilities, no way to gain privileges;
- limits on address space, processes, file size and CPU time.

The launcher (the process nbgrader started) stays outside the namespaces and waits; if it is killed,
the kernel is killed with it (PR_SET_PDEATHSIG). What the system refuses is skipped, and the launcher
writes what it applied to `<settings.status>` for nbgrader's log. The settings are JSON:
{"status", "runtime", "root", "source", "workdir", "home", "mounts": [[host, inside], ...],
 "readonly": [path, ...], "limits": {"memory_mb", "processes", "cpu_seconds", "file_mb", "disk_mb"}}.
"""

import ctypes
import fcntl
import json
import os
import platform
import shutil
import signal
import socket
import stat
import struct
import sys
import time

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = (
    1, 2, 4, 8, 32, 4096, 1 << 14, 1 << 18)
MNT_DETACH = 2
# nosuid, nodev, noexec, noatime, nodiratime, relatime: kept when remounting (statvfs's flags have the
# MS_ values), since a user namespace may not clear the ones its parent set.
KEPT_FLAGS = 2 | 4 | 8 | 1024 | 2048 | 4096
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 1, 24, 38
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}.get(platform.machine())
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
# As root, the kernel runs as a user id of its own: this base plus the launcher's process id.
KERNEL_UID_BASE = 1_000_000
SYSTEM_DIRS = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")
ETC_KEPT = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "timezone", "fonts", "alternatives",
            "nsswitch.conf", "mime.types", "os-release")
DEVICES = ("null", "zero", "full", "random", "urandom")

libc = ctypes.CDLL(None, use_errno=True)


class Refused(Exception):
    """The system refused a step; the message says which."""


def _check(result: int, what: str) -> None:
    if result != 0:
        raise Refused(f"{what} ({os.strerror(ctypes.get_errno())})")


def _encoded(value):
    return None if value is None else os.fsencode(value)


def mount(source, target, fstype, flags, data, what):
    _check(libc.mount(_encoded(source), _encoded(target), _encoded(fstype), flags, _encoded(data)), what)


def bind(host: str, inside: str, *, readonly: bool) -> None:
    if os.path.isdir(host):
        os.makedirs(inside, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(inside), exist_ok=True)
        open(inside, "a").close()
    mount(host, inside, None, MS_BIND | MS_REC, None, f"bind {host}")
    if readonly:
        make_readonly(inside)


def make_readonly(top: str) -> None:
    """Remount `top` and every mount below it read-only."""
    with open("/proc/self/mountinfo") as fh:
        points = [line.split()[4].encode().decode("unicode_escape") for line in fh]
    for point in points:
        if point == top or point.startswith(top.rstrip("/") + "/"):
            try:
                kept = os.statvfs(point).f_flag & KEPT_FLAGS
            except OSError:
                continue
            flags = MS_REMOUNT | MS_BIND | MS_RDONLY | kept
            if libc.mount(None, os.fsencode(point), None, flags, None) != 0 and point == top:
                raise Refused(f"{top} could not be made read-only ({os.strerror(ctypes.get_errno())})")


def enter_namespaces(is_root: bool) -> list[str]:
    """unshare what the system allows; returns the namespaces entered."""
    # The mount namespace is entered by the kernel's process alone (see run_contained): the launcher
    # keeps nbgrader's view of the files, where it writes the status.
    uid, gid = os.getuid(), os.getgid()
    wanted = {"network": CLONE_NEWNET, "pid": CLONE_NEWPID, "ipc": CLONE_NEWIPC, "uts": CLONE_NEWUTS}
    user = 0 if is_root else CLONE_NEWUSER
    # All or nothing: where the system refuses, the kernel runs unconfined and nbgrader's log says so.
    _check(libc.unshare(user | sum(wanted.values())), "unshare refused")
    if not is_root:
        for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                           ("/proc/self/gid_map", f"{gid} {gid} 1")):
            with open(path, "w") as fh:
                fh.write(text)
    return list(wanted)


def loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack("16sH22x", b"lo", 0)
        flags = struct.unpack("16sH22x", fcntl.ioctl(s.fileno(), SIOCGIFFLAGS, request))[1]
        fcntl.ioctl(s.fileno(), SIOCSIFFLAGS, struct.pack("16sH22x", b"lo", flags | IFF_UP))


def copy_folder(source: str, target: str, budget: int) -> None:
    """The notebook folder's extra files (the student's own modules and data, the course's files that
    nbgrader copied in), never its notebooks: those are graded work, including the student's others."""
    for dirpath, dirnames, filenames in os.walk(source):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        rel = os.path.relpath(dirpath, source)
        os.makedirs(os.path.join(target, rel), exist_ok=True)
        for name in filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if name.endswith(".ipynb") or not stat.S_ISREG(st.st_mode) or st.st_size > budget:
                continue
            budget -= st.st_size
            shutil.copyfile(path, os.path.join(target, rel, name))


def build_root(settings: dict, kernel_uid: int | None) -> None:
    """The kernel's file system on a fresh tmpfs at settings["root"], then made the root."""
    root = settings["root"]
    limits = settings["limits"]
    mount(None, "/", None, MS_REC | MS_PRIVATE, None, "private mounts")
    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, f"size={limits['disk_mb']}m,mode=0755", "tmpfs root")

    def inside(path: str) -> str:
        return os.path.join(root, path.lstrip("/"))

    for name in SYSTEM_DIRS:
        host = "/" + name
        if os.path.islink(host):
            os.symlink(os.readlink(host), inside(host))
        elif os.path.isdir(host):
            bind(host, inside(host), readonly=True)
    os.makedirs(inside("/etc"))
    for name in ETC_KEPT:
        if os.path.exists("/etc/" + name):
            bind("/etc/" + name, inside("/etc/" + name), readonly=True)
    uid = kernel_uid if kernel_uid is not None else os.getuid()
    gid = kernel_uid if kernel_uid is not None else os.getgid()
    with open(inside("/etc/passwd"), "w") as fh:
        fh.write(f"root:x:0:0::/root:/bin/false\nstudent:x:{uid}:{gid}::{settings['home']}:/bin/sh\n")
    with open(inside("/etc/group"), "w") as fh:
        fh.write(f"root:x:0:\nstudent:x:{gid}:\n")
    with open(inside("/etc/hosts"), "w") as fh:
        fh.write("127.0.0.1 localhost\n::1 localhost\n")
    for path in settings["readonly"]:
        if os.path.exists(path) and not os.path.exists(inside(path)):
            bind(path, inside(path), readonly=True)
    os.makedirs(inside("/dev"))
    for name in DEVICES:
        bind("/dev/" + name, inside("/dev/" + name), readonly=False)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, inside("/dev/" + name))
    for path in ("/dev/shm", "/tmp"):
        # /tmp may exist already: the Python environment or the shared folder can live below it.
        os.makedirs(inside(path), exist_ok=True)
        os.chmod(inside(path), 0o1777)
    # The one folder shared with nbgrader: the connection file and the sockets.
    bind(settings["runtime"], inside(settings["runtime"]), readonly=False)
    home, workdir = inside(settings["home"]), inside(settings["workdir"])
    os.makedirs(workdir)
    copy_folder(settings["source"], workdir, limits["disk_mb"] * 2**20 // 2)
    if kernel_uid is not None:
        for dirpath, _, filenames in os.walk(home):
            os.lchown(dirpath, kernel_uid, kernel_uid)
            for name in filenames:
                os.lchown(os.path.join(dirpath, name), kernel_uid, kernel_uid)
    for host, target in settings["mounts"]:
        if os.path.exists(host):
            bind(host, os.path.join(workdir, target), readonly=True)
    os.makedirs(inside("/proc"))
    # Mounted before the old root goes: a user namespace may mount proc only while a full one is visible.
    mount("proc", inside("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None, "proc")
    os.chdir(root)
    if SYS_PIVOT_ROOT is not None and libc.syscall(SYS_PIVOT_ROOT, b".", b".") == 0:
        _check(libc.umount2(b".", MNT_DETACH), "detach the old root")
    else:
        # No pivot_root (another architecture, or a root that is not a mount point): chroot; the kernel
        # loses the capabilities it would need to escape it.
        os.chroot(".")
    os.chdir("/")


def apply_limits(limits: dict, is_root: bool) -> None:
    import resource

    mb = 2**20
    wanted = {resource.RLIMIT_AS: limits["memory_mb"] * mb, resource.RLIMIT_CPU: limits["cpu_seconds"],
              resource.RLIMIT_FSIZE: limits["file_mb"] * mb, resource.RLIMIT_CORE: 0}
    processes = limits["processes"]
    # The process limit counts every process of the user: as root the kernel's user is its own; as an
    # ordinary user, the instructor's processes (and threads) count too.
    wanted[resource.RLIMIT_NPROC] = processes if is_root else processes + _tasks_of(os.getuid())
    for res, value in wanted.items():
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            pass


def _tasks_of(uid: int) -> int:
    count = 0
    for pid in os.listdir("/proc"):
        try:
            with open(f"/proc/{pid}/status") as fh:
                fields = dict(line.split(":", 1) for line in fh if ":" in line)
            if int(fields["Uid"].split()[0]) == uid:
                count += int(fields["Threads"])
        except (OSError, KeyError, ValueError):
            continue
    return count


def drop_privileges(kernel_uid: int | None) -> None:
    if kernel_uid is not None:
        os.setgroups([])
        os.setgid(kernel_uid)
        os.setuid(kernel_uid)
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def kernel_environment(settings: dict) -> dict:
    """Only what a kernel needs: nothing of nbgrader's environment (paths, tokens) reaches it."""
    kept = {k: v for k, v in os.environ.items()
            if k.startswith(("LANG", "LC_", "JPY_", "MPL", "PYDEVD_")) or k in ("TZ", "TERM")}
    # ipykernel would watch nbgrader's process id, which it cannot see from its own PID namespace, and
    # end at once; 1 means "no parent to watch" (the kernel dies with its launcher anyway).
    kept["JPY_PARENT_PID"] = "1"
    kept.update(HOME=settings["home"], TMPDIR="/tmp", USER="student", LOGNAME="student",
                PATH=os.pathsep.join([os.path.dirname(sys.executable), "/usr/local/bin", "/usr/bin", "/bin"]),
                OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return kept


def run_contained(settings: dict, command: list[str], report) -> None:
    """In the child, after unshare: PID 1 of its namespace. Never returns."""
    is_root = os.geteuid() == 0
    kernel_uid = KERNEL_UID_BASE + settings["launcher_pid"] if is_root else None
    try:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        _check(libc.unshare(CLONE_NEWNS), "unshare the mount namespace")
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        applied = {}
        if "network" in settings["namespaces"]:
            loopback_up()
            applied["network"] = "loopback only"
        if kernel_uid is not None:
            os.chown(settings["runtime"], kernel_uid, kernel_uid)
            for name in os.listdir(settings["runtime"]):
                os.chown(os.path.join(settings["runtime"], name), kernel_uid, kernel_uid)
        build_root(settings, kernel_uid)
        applied["filesystem"] = "own root"
        applied["processes"] = "own namespace" if "pid" in settings["namespaces"] else "shared"
        apply_limits(settings["limits"], is_root)
        drop_privileges(kernel_uid)
        # Changing the user clears the parent-death signal: set it again, or a kernel whose launcher
        # nbgrader kills (a shutdown that timed out) would live on, holding nbgrader's output.
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        applied["user"] = "own user id" if kernel_uid is not None else "instructor's, in a user namespace"
        os.chdir(settings["workdir"])
        report(applied)
    except Exception as exc:           # noqa: BLE001 (any failure is reported, and the child ends)
        report({"refused": str(exc)})
        os._exit(70)
    os.execvpe(command[0], command, kernel_environment(settings))


def run_unconfined(settings: dict, command: list[str]) -> None:
    """Where the system refuses a container: limits only, and the kernel sees what the instructor's user
    sees. nbgrader's log says so (see kernel.py). Never returns."""
    apply_limits(settings["limits"], is_root=False)
    os.environ.update(HOME=settings["fallback_home"], TMPDIR=settings["fallback_home"])
    os.execvp(command[0], command)


def main() -> None:
    settings_file, sep, *command = sys.argv[1:]
    if sep != "--" or not command:
        sys.exit("usage: kernel_container.py <settings.json> -- <kernel command>")
    with open(settings_file) as fh:
        settings = json.load(fh)
    settings["source"] = os.getcwd()
    settings["launcher_pid"] = os.getpid()
    parent = os.getppid()

    def write_status(status: dict) -> None:
        with open(settings["status"], "w") as fh:
            json.dump(status, fh)

    why_not = None
    if not sys.platform.startswith("linux"):
        why_not = "not Linux"
    else:
        try:
            settings["namespaces"] = enter_namespaces(os.geteuid() == 0)
        except (Refused, OSError) as exc:
            why_not = str(exc)
    if why_not:
        write_status({"refused": why_not})
        run_unconfined(settings, command)
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)

        def report(status: dict) -> None:
            os.write(write_end, json.dumps(status).encode())
            os.close(write_end)

        run_contained(settings, command, report)
    os.close(write_end)
    # Interrupts go to the kernel (the same process group); the launcher only waits for it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    chunks = []
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    status = json.loads(b"".join(chunks) or b'{"refused": "the container did not start"}')
    status["namespaces"] = settings["namespaces"]
    write_status(status)
    if "refused" in status:
        # Namespaces were granted but a later step failed: fail closed. The kernel does not start (the
        # launcher could not run it anyway: it may not make threads once it has a PID namespace for
        # its children), and the notebook is graded without it; nbgrader's log says why.
        os.waitpid(child, 0)
        sys.exit(70)
    sys.exit(wait_for(child, parent))


def wait_for(child: int, parent: int) -> int:
    """The kernel's exit code. If nbgrader (`parent`) goes away without shutting the kernel down, the
    kernel is killed: ipykernel cannot watch nbgrader from its own PID namespace."""
    while True:
        try:
            pid, code = os.waitpid(child, os.WNOHANG)
        except ChildProcessError:
            return 0
        if pid:
            return os.waitstatus_to_exitcode(code) if code >= 0 else 1
        if os.getppid() != parent:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            return 1
        time.sleep(0.2)


if __name__ == "__main__":
    main()
