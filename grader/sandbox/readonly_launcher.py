"""Starts the student's kernel on a read-only file system: `python -I readonly_launcher.py -- <kernel command>`.

Runs before the kernel, as a plain script (it imports nothing from the course). On Linux it enters a
private mount namespace (a user namespace too when not root), makes every mount read-only there, gives
the kernel fresh private /tmp, /var/tmp and /dev/shm, and empties the capability bounding set, so the
kernel (executed next) can write neither the course (gradebook, solutions, grader, environment) nor
the Python installation, nor leave anything on disk for a later step to find, nor undo any of it.
Where the system refuses, the kernel starts unchanged and the launcher says why on stderr.
"""

import ctypes
import os
import sys

CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 1 << 14, 1 << 18
KEPT_FLAGS = 2 | 4 | 8 | 1024 | 2048 | 4096   # nosuid, nodev, noexec, noatime, nodiratime, relatime (statvfs = MS_ values)
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38
PRIVATE = ("/tmp", "/var/tmp", "/dev/shm")


def mount_points() -> list[str]:
    with open("/proc/self/mountinfo") as fh:
        points = [line.split()[4] for line in fh]
    return [p.encode().decode("unicode_escape") for p in points]


def confine(connection_file: str | None) -> str | None:
    """None on success, else why not."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWNS | (0 if uid == 0 else CLONE_NEWUSER)) != 0:
        return f"unshare refused ({os.strerror(ctypes.get_errno())})"
    if uid != 0:
        for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"{uid} {uid} 1"),
                           ("/proc/self/gid_map", f"{gid} {gid} 1")):
            with open(path, "w") as fh:
                fh.write(text)
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return f"mount refused ({os.strerror(ctypes.get_errno())})"
    connection = None
    if connection_file:
        with open(connection_file, "rb") as fh:
            connection = fh.read()
    failed = []
    for point in mount_points():
        try:
            kept = os.statvfs(point).f_flag & KEPT_FLAGS
        except OSError:
            continue
        if libc.mount(None, point.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept, None) != 0:
            failed.append(point)
    if "/" in failed:
        return f"the root could not be made read-only ({os.strerror(ctypes.get_errno())})"
    for folder in PRIVATE:
        if os.path.isdir(folder):
            libc.mount(b"tmpfs", folder.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=1777,size=512m")
    if connection is not None and not os.path.exists(connection_file):
        os.makedirs(os.path.dirname(connection_file), exist_ok=True)
        with open(connection_file, "wb") as fh:
            fh.write(connection)
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return None


def main() -> None:
    sep, *command = sys.argv[1:]
    if sep != "--" or not command:
        sys.exit("usage: readonly_launcher.py -- <kernel command>")
    connection_file = command[command.index("-f") + 1] if "-f" in command[:-1] else None
    why_not = confine(connection_file)
    if why_not:
        print(f"grader: the kernel's file system stays writable ({why_not})", file=sys.stderr)
    else:
        os.environ["HOME"] = "/tmp"   # IPython's and matplotlib's settings and caches go to the private /tmp
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
