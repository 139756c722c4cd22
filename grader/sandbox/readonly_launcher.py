"""Starts the student's kernel with the course read-only: `python -I readonly_launcher.py <course> -- <kernel command>`.

Runs before the kernel, as a plain script (it imports nothing from the course). On Linux it enters a
private mount namespace (a user namespace too when not root), binds the course read-only onto itself
and empties the capability bounding set, so the kernel (executed next) can neither write the course
(gradebook, solutions, grader, environment) nor undo the binding. Elsewhere, or where the system
refuses, the kernel starts unchanged and the launcher says so on stderr of nbgrader's log.
"""

import ctypes
import os
import sys

CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 32, 4096, 1 << 14, 1 << 18
PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS = 24, 38


def make_read_only(course: str) -> str | None:
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
    steps = [(None, b"/", None, MS_REC | MS_PRIVATE), (course.encode(), course.encode(), None, MS_BIND | MS_REC),
             (None, course.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY)]
    for source, target, fstype, flags in steps:
        if libc.mount(source, target, fstype, flags, None) != 0:
            return f"mount refused ({os.strerror(ctypes.get_errno())})"
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return None


def main() -> None:
    course, sep, *command = sys.argv[1:]
    if sep != "--" or not command:
        sys.exit("usage: readonly_launcher.py <course> -- <kernel command>")
    why_not = make_read_only(os.path.realpath(course))
    if why_not:
        print(f"grader: the kernel can write the course ({why_not})", file=sys.stderr)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
