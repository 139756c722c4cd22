"""Starts the student's kernel on a read-only file system:
`python -I readonly_launcher.py <home> -- <kernel command>`.

Runs before the kernel, as a plain script (it imports nothing from the course). On Linux it enters a
private mount namespace (a user namespace too when not root), makes every mount read-only there, mounts
a fresh private tmpfs on the empty folder <home> (the kernel's HOME and TMPDIR, where IPython and
matplotlib keep their settings and caches), and empties the capability bounding set. The kernel
(executed next) can then write neither the course (gradebook, solutions, grader, environment) nor the
Python installation, nor leave anything on disk for a later step to find, nor undo any of it. Where
the system refuses, the kernel starts unchanged and the launcher says why on stderr.
"""

import ctypes
import os
import sys

CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 2, 4, 32, 4096, 1 << 14, 1 << 18
# nosuid, nodev, noexec, noatime, nodiratime, relatime (statvfs's flags have the MS_ values)
KEPT_FLAGS = 2 | 4 | 8 | 1024 | 2048 | 4096
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38


def mount_points() -> list[str]:
    with open("/proc/self/mountinfo") as fh:
        points = [line.split()[4] for line in fh]
    return [p.encode().decode("unicode_escape") for p in points]


def confine(home: str) -> str | None:
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
    for point in mount_points():
        try:
            kept = os.statvfs(point).f_flag & KEPT_FLAGS
        except OSError:
            continue
        if libc.mount(None, point.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY | kept, None) != 0 and point == "/":
            return f"the root could not be made read-only ({os.strerror(ctypes.get_errno())})"
    if libc.mount(b"tmpfs", home.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0700,size=512m") != 0:
        return f"no private home ({os.strerror(ctypes.get_errno())})"
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return None


def main() -> None:
    home, sep, *command = sys.argv[1:]
    if sep != "--" or not command:
        sys.exit("usage: readonly_launcher.py <home> -- <kernel command>")
    why_not = confine(home)
    if why_not:
        print(f"grader: the kernel's file system stays writable ({why_not})", file=sys.stderr)
    os.environ["HOME"] = os.environ["TMPDIR"] = home
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
