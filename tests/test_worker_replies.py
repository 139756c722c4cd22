"""Hostile replies from the grading worker: the student's code runs in the worker's process, so it can
return anything and write anything to the reply channel. Each attack below must fail only the call
that made it, as "the function returned something unreadable", within the call's deadline, without
the trusted side allocating beyond the reply caps; the next call of another function still works."""

from __future__ import annotations

import contextlib
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from grader.course import load_course
from grader.grading import run_check
from grader.sandbox import worker as wire
from grader.sandbox.proxies import active, answer_proxy
from grader.sandbox.session import Limits, Session, WorkerFailure

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the channel attacks use Linux fds")

# Small caps, so that what each test proves about them costs little: 4 MiB of frames per reply.
CAPS = wire.ReplyCaps(message_bytes=512 * 2**10, total_bytes=4 * 2**20, arrays=1000, values=20_000, string=4096)
TIMEOUT = 3

STUDENT = r'''
import fcntl
import json
import os
import stat
import struct
import sys
import time
import numpy as np

def _reply_fd():
    """The reply channel, found without sys.argv: the one write-only pipe among the descriptors."""
    for fd in range(3, 1024):
        try:
            mode = os.fstat(fd).st_mode
        except OSError:
            continue
        if stat.S_ISFIFO(mode) and fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_WRONLY:
            return fd
    raise RuntimeError("no reply channel found")

def _current_seq():
    """The sequence number of the request being answered, read from the worker's own frames."""
    frame = sys._getframe()
    while frame is not None:
        message = frame.f_locals.get("message")
        if isinstance(message, dict) and message.get("op") == "call" and "seq" in message:
            return message["seq"]
        frame = frame.f_back
    raise RuntimeError("no request found")

def _write(data):
    fd, view = _reply_fd(), memoryview(data)
    while view:
        view = view[os.write(fd, view):]

def _frame(body):
    return struct.pack(">I", len(body)) + body

def _json(message):
    return _frame(json.dumps(message).encode())

def fine(x):
    return x + 1

def also_fine(x):
    return x + 2

def channel_in_argv_or_environment():
    return [sys.argv, dict(os.environ)]

def huge_json_frame(*args):
    # The red team's attack: a header promising a 250 MB JSON list, then the list streamed.
    _write(struct.pack(">I", 250 * 2**20))
    chunk = b"[" + b"0," * 2**19
    for _ in range(250):
        _write(chunk)
    return 0

def extra_frame(*args):
    _write(_json({"op": "ok", "seq": 0, "value": 42, "arrays": []}))
    return 1

def forged_reply(*args):
    _write(_json({"op": "ok", "seq": _current_seq(), "value": "forged", "arrays": []}))
    return "real"

def garbage(*args):
    _write(b"\x00\x00\x00\x05hello")
    return 1

def many_arrays(*args):
    return [np.ones(1) for _ in range(200_000)]

def many_arrays_forged(*args):
    specs = [["<f8", [1]]] * 200_000
    _write(_json({"op": "ok", "seq": _current_seq(), "value": None, "arrays": specs}))
    return 0

def lying_header(*args):
    # Ten arrays of 256 MB promised, streamed from a 1 MB buffer.
    specs = [["<f8", [2**25]]] * 10
    _write(_json({"op": "ok", "seq": _current_seq(), "value": {"t": "nd", "i": 0}, "arrays": specs}))
    buffer = bytes(2**20)
    for _ in range(2560):
        _write(struct.pack(">I", 2**28) if _ % 256 == 0 else b"")
        _write(buffer)
    return 0

def promise_more_than_sent(*args):
    # Within the caps, but only a third of the array ever comes.
    _write(_json({"op": "ok", "seq": _current_seq(), "value": {"t": "nd", "i": 0}, "arrays": [["<f8", [3 * 2**17]]]}))
    _write(struct.pack(">I", 3 * 2**20) + bytes(2**20))
    time.sleep(60)

def slow_to_print(*args):
    return [np.zeros(800) for _ in range(200)]   # 1.3 MB, but a repr of it prints 160,000 numbers

def many_axes(*args):
    return np.zeros((6,) * 8, dtype=bool)        # 1.7 MB, and a repr of it prints every number

def big_array(*args):
    return np.zeros(2**20)   # 8 MB: above this test's 4 MiB cap

class Sly:
    @property
    def __name__(self):
        raise ValueError("no name for you")

def sly(*args):
    return Sly()

sly_answer = Sly()

def deep(*args):
    x = []
    for _ in range(200_000):
        x = [x]
    return x

def deep_forged(*args):
    _write(_frame(b"[" * 200_000 + b"]" * 200_000))
    return 0

def long_string(*args):
    return "x" * 100_000

def long_string_forged(*args):
    _write(_json({"op": "ok", "seq": _current_seq(), "value": "x" * 200_000, "arrays": []}))
    return 0

class Unprintable(Exception):
    def __str__(self):
        raise ValueError("no message either")

def raises_unprintable():
    raise Unprintable()

def _names(value, after=None):
    _write(_json({"op": "ok", "seq": _current_seq(), "value": value, "after": after, "arrays": []}))

def names_a_missing_argument(*args, **kwargs):
    _names({"t": "arg", "k": 3})

def names_a_keyword_not_passed(*args, **kwargs):
    _names({"t": "arg", "k": "y"})

def names_a_number_argument(*args, **kwargs):
    _names({"t": "arg", "k": 1})

def names_an_argument_reshaped_to_another_size(*args, **kwargs):
    _names({"t": "arg", "k": 0, "shape": [7]})

def names_an_argument_among_the_changed_ones(*args, **kwargs):
    _names(None, {"t": "list", "v": [{"t": "list", "v": [0, {"t": "arg", "k": 0}]}]})
'''


@pytest.fixture(scope="module")
def session():
    with Session([("answer cell", STUDENT)], limits=Limits(timeout_seconds=TIMEOUT, reply=CAPS)) as s:
        with active(s):
            yield s


def _peak_rss() -> int:
    """The test process's peak resident memory, in bytes, since the last `_reset_peak`."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak() -> int:
    with contextlib.suppress(OSError), open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")   # resets the peak (VmHWM) to the current resident size
    return _peak_rss()


def _unreadable(session, name: str, *args, match: str = "unreadable") -> tuple[float, int]:
    """Call the answer `name`, expect it to fail as unreadable; returns (seconds, peak growth)."""
    before = _reset_peak()
    start = time.monotonic()
    with pytest.raises(WorkerFailure, match=match):
        answer_proxy(session, name)(*args)
    seconds, grown = time.monotonic() - start, _peak_rss() - before
    assert seconds < TIMEOUT + 2
    assert grown < CAPS.total_bytes + 16 * 2**20, f"the trusted side grew by {grown / 2**20:.0f} MB"
    assert answer_proxy(session, "fine")(2) == 3   # the next call of another function works
    return seconds, grown


def test_the_channel_is_in_neither_the_arguments_nor_the_environment(session):
    argv, environ = answer_proxy(session, "channel_in_argv_or_environment")()
    assert argv == ["-c"]
    assert not any("fds" in v or "{" in v for v in environ.values())


def test_a_frame_promising_250_mb_is_refused_from_its_header(session):
    seconds, _ = _unreadable(session, "huge_json_frame", match=r"unreadable \(a frame of 262144000 bytes")
    assert seconds < 2


def test_extra_and_garbage_frames_fail_that_call_and_leave_no_trace(session):
    _unreadable(session, "extra_frame", match="a reply to another request")
    _unreadable(session, "garbage", match="not JSON")


def test_a_forged_reply_with_the_right_number_gains_nothing_and_desyncs_nothing():
    # Indistinguishable from returning "forged"; the true reply then arrives unasked and fails the
    # next request as unreadable (never as a wrong value), and the worker is replaced for the rest.
    with Session([("answer cell", STUDENT)], limits=Limits(timeout_seconds=TIMEOUT, reply=CAPS)) as s, active(s):
        assert answer_proxy(s, "forged_reply")() == "forged"
        with pytest.raises(WorkerFailure, match="unreadable"):
            answer_proxy(s, "fine")(2)
        assert answer_proxy(s, "also_fine")(2) == 4


def test_200000_small_arrays_are_refused(session):
    _unreadable(session, "many_arrays", match="200000 arrays")
    _unreadable(session, "many_arrays_forged", match="limit")


def test_a_lying_header_fails_before_anything_is_allocated(session):
    _unreadable(session, "lying_header", match="bytes in all")
    _unreadable(session, "big_array", match="bytes in all")


def test_values_that_would_take_long_to_print_are_refused(session):
    _unreadable(session, "slow_to_print", match="would print 160000 numbers")
    _unreadable(session, "many_axes", match="would print 1679616 numbers")


def test_a_frame_that_promises_more_than_it_sends_fails_at_the_deadline(session):
    seconds, grown = _unreadable(session, "promise_more_than_sent", match="stopped part way: timed out after 3 s")
    assert seconds >= TIMEOUT - 0.5


def test_a_raising_name_property_is_unreadable_when_returned_or_looked_up(session):
    _unreadable(session, "sly", match="ValueError")
    with pytest.raises(WorkerFailure, match="unreadable"):
        answer_proxy(session, "sly_answer")


def test_200000_deep_nesting_is_refused_without_recursion(session):
    _unreadable(session, "deep", match="nested more than 20 levels")
    _unreadable(session, "deep_forged", match=r"(nested more than|values \(the limit)")


def test_an_oversized_string_is_refused(session):
    _unreadable(session, "long_string", match="a string of")
    _unreadable(session, "long_string_forged", match="a string of")


def test_an_exception_whose_message_raises_is_still_the_students_exception(session):
    with pytest.raises(Exception, match="could not be read") as info:
        answer_proxy(session, "raises_unprintable")()
    assert getattr(info.value, "from_student", False)


def test_a_check_scores_an_unreadable_reply_zero_and_says_so():
    course = load_course(REPO / "course.yaml", check_notebooks=False)
    with Session([("answer cell", STUDENT)], limits=Limits(timeout_seconds=TIMEOUT, reply=CAPS)) as s, active(s):
        for name in ("sly", "deep", "many_arrays", "lying_header"):
            outcome, _, _ = run_check(course, "multiclass_hinge_loss-values", answer_proxy(s, name))
            report = outcome.report()
            assert outcome.score == 0 and "unreadable" in report and "grader defect" not in report, report


def test_the_json_scan_counts_what_parsing_would_allocate():
    caps = wire.ReplyCaps(values=10, depth=3, string=5)
    assert wire.json_refusal(b'{"a": [1, 2], "b": "\\"quoted\\""}', wire.ReplyCaps()) is None
    assert "values" in wire.json_refusal(b"[" + b"0," * 20 + b"0]", caps)
    assert "nested" in wire.json_refusal(b"[[[[]]]]", caps)
    assert wire.json_refusal(b'["[[[[[[", "]]]"]', wire.ReplyCaps(depth=1)) is None   # brackets in strings
    assert "string" in wire.json_refusal(b'["abcdef"]', caps)
    assert "not JSON" in wire.json_refusal(b"[[}", caps)


def test_bounded_reprs_match_repr_for_plain_data_and_stay_short_for_huge_data():
    from grader.checks.problems import brief, fmt

    for value in (1.5, [1, 2.5, "a"], (3,), {"k": (1, None)}, np.float64(2.0), np.arange(3.0), "x" * 100):
        assert brief(value, 60) == f"{value!r:.60}"
    start = time.monotonic()
    huge = [list(range(100))] * 100_000
    assert brief(huge, 60) == f"{[list(range(100))]!r:.60}"
    assert len(fmt(np.zeros((6,) * 7))) < 200 and len(fmt(["x" * 10**6])) <= 2000
    assert time.monotonic() - start < 1


def test_a_reply_naming_an_argument_the_call_does_not_have_is_unreadable(session):
    """A returned argument travels as a reference to the call's own array; a reference to anything
    else (an index or keyword the call has not, a number, another size, outside the return value) is
    refused, never decoded as some other value."""
    x = np.arange(3.0)
    for name, match in (("names_a_missing_argument", "does not have"), ("names_a_keyword_not_passed", "does not have"),
                        ("names_a_number_argument", "not an array"),
                        ("names_an_argument_reshaped_to_another_size", "reshaped"),
                        ("names_an_argument_among_the_changed_ones", "outside a call's return value")):
        _unreadable(session, name, x, 2, match=match)
    course = load_course(REPO / "course.yaml", check_notebooks=False)
    with Session([("answer cell", STUDENT)], limits=Limits(timeout_seconds=TIMEOUT, reply=CAPS)) as s, active(s):
        answer = answer_proxy(s, "names_a_missing_argument")
        outcome, _, _ = run_check(course, "eval_numerical_gradient-in_place", answer)
        report = outcome.report()
        assert outcome.score == 0 and "unreadable" in report and "grader defect" not in report, report
