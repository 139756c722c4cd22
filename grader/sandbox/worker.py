"""The isolated worker: a fresh interpreter that holds one notebook's student code and answers calls.

The trusted side starts it as `python -S -s -P -c <this file's text>` with an environment of its own
(see session.py) and its configuration on standard input, so it imports nothing from the course: `-P`
keeps the working directory off the module path, `-S -s` keep site-packages' `.pth` files (an
editable install of this package) from running. Before any student code runs, `lock_down` applies
the limits and, on Linux where the system allows, leaves it an empty file system, no network and an
unprivileged user. The trusted side imports this module too, for the wire format below: one
definition of how values travel, on both sides.

Wire format: frames of a 4-byte big-endian length and a body. A message is one JSON frame followed by
one frame per array it references ({"t": "nd", "i": k}): the array's raw bytes, whose dtype and shape
the JSON gives (`"arrays": [[dtype, shape], ...]`). Only plain numeric dtypes are accepted, and the
byte count must match: nothing is ever unpickled or evaluated. Anything that is not plain data
travels as a reference number.

The worker runs the student's code in its own process, so that code can write to the reply channel
itself. The trusted side therefore reads every message from the worker against `ReplyCaps` before
it allocates or decodes anything: the JSON frame's declared length, then its counts of values,
nesting and string lengths (from the bytes alone), then the arrays' declared sizes, and each array
frame's length against what its header declared; bodies are read in bounded chunks, each under the
call's deadline, so a frame that promises more than it sends fails at the deadline, having cost only
what it sent. Every request carries a sequence number that its replies repeat: a reply to another
request, or anything sent between requests, fails the call as unreadable and the worker is replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import struct
import sys

MAX_FRAME = 256 * 2**20   # a frame of a request: the trusted side's own data
MAX_DEPTH = 20
ARRAY_KINDS = "biufc"   # bool, integers, floats, complex: plain numbers only, never objects
MAX_NDIM = 32
CHUNK = 2**20             # the most read from a channel at once


class WireError(Exception):
    """A malformed or oversized message."""


class ReplyCaps:
    """The most one message from the worker may hold. The largest honest reply of the five solution
    notebooks' checks is 3.3 KB (2.5 KB of JSON, 121 values, 3 arrays, 9 levels of JSON nesting, a
    176-character string): each cap leaves orders of magnitude above that, and bounds what an
    answer can make the trusted side allocate (the arrays, plus some tens of MB for the JSON's values)."""

    def __init__(self, message_bytes: int = 2**20, total_bytes: int = 64 * 2**20, arrays: int = 10_000,
                 values: int = 100_000, depth: int = 2 * MAX_DEPTH + 8, string: int = 65_536,
                 shown: int = 100_000):
        self.message_bytes = message_bytes   # the JSON frame
        self.total_bytes = total_bytes       # every frame of the message together
        self.arrays = arrays                 # array frames
        self.values = values                 # JSON values (numbers, strings, lists, objects)
        self.depth = depth                   # JSON nesting (a value nests two levels per list or tuple)
        self.string = string                 # bytes of one JSON string
        # Numbers numpy's repr would print of all the arrays together (each array of up to 1000 in
        # full, of a larger one up to 6 per axis): a check's `f"{value!r:.60}"` of a list of 10,000
        # arrays of 800 numbers, or of one array of 10 axes, would otherwise take minutes.
        self.shown = shown

    def as_config(self) -> dict:
        return dict(vars(self))


ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")


def without_addresses(text: str) -> str:
    """`<Foo object at 0x7f3a...>` becomes `<Foo object at 0x...>`: memory addresses change from run
    to run, and feedback must read the same every time the same code is graded."""
    return ADDRESS.sub("at 0x...", text)


def not_provided(module: str) -> str:
    """What the feedback says when an answer imports a module the grading worker cannot load."""
    return f"your answer imports {module}, which grading does not provide"


def encode_frames(message: dict, arrays: list) -> list:
    """The frames of one message: its JSON, then each array's raw bytes."""
    message["arrays"] = [[arr.dtype.str, list(arr.shape)] for arr in arrays]
    return [json.dumps(message, allow_nan=True).encode("utf-8")] + [arr.tobytes() for arr in arrays]


def write_frames(fd: int, frames: list, wait=None) -> None:
    """`wait(fd, "w")`, if given, runs before each write: the trusted side's deadline."""
    parts = []
    for frame in frames:
        parts += [struct.pack(">I", len(frame)), frame]
    view = memoryview(b"".join(parts))
    del parts
    while view:
        if wait:
            wait(fd, "w")
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            continue
        view = view[n:]


def write_message(fd: int, message: dict, arrays: list, wait=None) -> None:
    write_frames(fd, encode_frames(message, arrays), wait)


_ESCAPED = re.compile(rb"\\.", re.S)
_STRING = re.compile(rb'"[^"]*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


def json_refusal(data, caps: ReplyCaps) -> str | None:
    """Why a JSON text exceeds the caps, found from its bytes with a few linear scans, before it is
    parsed (nothing is allocated per value); None if it does not."""
    if len(data) > caps.message_bytes:
        return f"a message of {len(data)} bytes (the limit is {caps.message_bytes})"
    text = _ESCAPED.sub(b"__", data)   # an escaped quote no longer ends a string; lengths stay
    longest = max((m.end() - m.start() - 2 for m in _STRING.finditer(text)), default=0)
    if longest > caps.string:
        return f"a string of {longest} bytes (the limit is {caps.string})"
    bare = _STRING.sub(b"0", text)    # each string one value, and no bracket inside one counts
    values = 1 + bare.count(b",") + bare.count(b"[") + bare.count(b"{")
    if values > caps.values:
        return f"about {values} values (the limit is {caps.values})"
    brackets, depth = bare.translate(None, _NOT_BRACKETS), 0
    while brackets:   # each pass removes the innermost pairs: the passes count the nesting
        if depth >= caps.depth:
            return f"values nested more than {caps.depth} levels deep"
        inner = _INNERMOST.sub(b"", brackets)
        if len(inner) == len(brackets):
            return "a message that is not JSON (unbalanced brackets)"
        brackets, depth = inner, depth + 1
    return None


def layout_refusal(json_bytes: int, layouts: list, caps: ReplyCaps) -> str | None:
    """Why a message's declared arrays, (dtype, shape, byte count) each, exceed the caps; None if
    they do not."""
    if len(layouts) > caps.arrays:
        return f"{len(layouts)} arrays (the limit is {caps.arrays})"
    total = json_bytes + sum(nbytes for _, _, nbytes in layouts)
    if total > caps.total_bytes:
        return f"{total} bytes in all (the limit is {caps.total_bytes})"
    shown = sum(_numbers_shown(shape) for _, shape, _ in layouts)
    if shown > caps.shown:
        return f"arrays that would print {shown} numbers (the limit is {caps.shown})"
    return None


def _numbers_shown(shape) -> int:
    """How many numbers numpy's default printing shows of an array of this shape."""
    size = 1
    for n in shape:
        size *= n
    if size <= 1000:
        return size
    shown = 1
    for n in shape:
        shown *= min(n, 6)
    return shown


class Reader:
    """Reads frames from a file descriptor through a buffer: one read for a whole small message,
    not one per length prefix and body; at most CHUNK bytes at a time, so what is held is what
    arrived, never what a length prefix promised."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = bytearray()
        self.midway = False   # a message has begun to arrive and is not complete

    def read_exactly(self, n: int, wait=None) -> bytearray:
        while len(self.buffer) < n:
            if wait:
                wait(self.fd, "r")
            want = 1 << 16 if n <= 1 << 16 else min(n - len(self.buffer), CHUNK)
            try:
                chunk = os.read(self.fd, want)
            except BlockingIOError:
                continue
            if not chunk:
                raise EOFError("the other side closed the channel")
            self.buffer += chunk
        if len(self.buffer) == n:   # a large frame is read to its end exactly: handed over, not copied
            data, self.buffer = self.buffer, bytearray()
            return data
        data = self.buffer[:n]
        del self.buffer[:n]
        return data

    def frame(self, wait=None, limit: int = MAX_FRAME, exact: int | None = None) -> bytearray:
        """One frame's body, after checking the length its prefix gives against `limit` (or the
        `exact` length its message declared) before reading any of it."""
        (size,) = struct.unpack(">I", self.read_exactly(4, wait))
        self.midway = True
        if exact is not None and size != exact:
            raise WireError(f"a frame of {size} bytes where the message declared {exact}")
        if size > limit:
            raise WireError(f"a frame of {size} bytes (the limit is {limit})")
        return self.read_exactly(size, wait)

    def pending(self) -> bool:
        """Whether anything has arrived that nobody asked for (a message between requests)."""
        if self.buffer:
            return True
        import select

        return bool(select.select([self.fd], [], [], 0)[0])


def read_message(reader: Reader, wait=None, caps: ReplyCaps | None = None, check=None) -> tuple[dict, list]:
    """`wait(fd, "r")`, if given, runs before each read: the trusted side's deadline. With `caps`
    (the trusted side reading the worker), every size is checked before anything is read or parsed;
    `check(message)`, if given, runs on the JSON before any array is read (it raises to refuse)."""
    reader.midway = False
    if caps is None:
        message = _parse(reader.frame(wait))
        layouts = [_layout(spec) for spec in _specs(message)]
        arrays = [_array(layout, reader.frame(wait)) for layout in layouts]
    else:
        body = reader.frame(wait, caps.message_bytes)
        why = json_refusal(body, caps)
        if why:
            raise WireError(why)
        message = _parse(body)
        if check:
            check(message)
        specs = _specs(message)
        if len(specs) > caps.arrays:
            raise WireError(f"{len(specs)} arrays (the limit is {caps.arrays})")
        layouts = [_layout(spec) for spec in specs]
        why = layout_refusal(len(body), layouts, caps)
        if why:
            raise WireError(why)
        arrays = [_array(layout, reader.frame(wait, exact=layout[2])) for layout in layouts]
    reader.midway = False
    return message, arrays


def _parse(body) -> dict:
    try:
        message = json.loads(body)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:   # ValueError: JSON's, and int digits
        raise WireError(f"a message that is not JSON ({str(exc)[:100]})") from None
    if not isinstance(message, dict):
        raise WireError("a message that is not a JSON object")
    return message


def _specs(message: dict) -> list:
    specs = message.get("arrays", [])
    if not isinstance(specs, list):
        raise WireError("a message that is not a JSON object")
    return specs


def _layout(spec):
    """(dtype, shape, byte count) of a declared array, after checking its dtype and shape."""
    import numpy as np

    try:
        dtype_str, shape = spec
        dtype = np.dtype(dtype_str) if isinstance(dtype_str, str) and len(dtype_str) <= 4 else None
    except (TypeError, ValueError):
        dtype = shape = None
    if dtype is None or dtype.kind not in ARRAY_KINDS or dtype.fields is not None or dtype.subdtype is not None:
        raise WireError(f"an array of dtype {str(spec)[:40]} (only numbers travel)")
    if not (isinstance(shape, list) and len(shape) <= MAX_NDIM
            and all(type(n) is int and 0 <= n <= MAX_FRAME for n in shape)):
        raise WireError(f"an array of shape {str(shape)[:40]}")
    count = 1
    for n in shape:
        count *= n
    return dtype, shape, count * dtype.itemsize


def _array(layout, data):
    """A numeric array from its raw bytes (a bytearray: the array is writable, nothing is copied)."""
    import numpy as np

    dtype, shape, nbytes = layout
    if nbytes != len(data):
        raise WireError(f"an array of {len(data)} bytes for shape {shape} and dtype {dtype}")
    return np.frombuffer(data, dtype=dtype).reshape(shape)


class Codec:
    """Plain data (None, bool, int, float, str, numbers arrays, and lists, tuples, dicts of them)
    travels by value; anything else goes through `encode_other` / `decode_other`, which each side
    defines: references to worker objects, callbacks to trusted functions."""

    def encode(self, value, arrays: list, depth: int = 0):
        import numpy as np

        if depth > MAX_DEPTH:
            raise WireError(f"values nested more than {MAX_DEPTH} levels deep")
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int) and type(value) in (int, bool):
            return value if abs(value) < 2**63 else {"t": "opaque", "desc": "an integer too large"}
        if type(value) is float:
            return value if value == value and abs(value) != float("inf") else {"t": "float", "v": repr(value)}
        if isinstance(value, (np.ndarray, np.generic)) and type(value).__module__ == "numpy":
            arr = np.asarray(value)
            if arr.dtype.kind not in ARRAY_KINDS or arr.dtype.fields is not None:
                return {"t": "opaque", "desc": f"a numpy array of dtype {arr.dtype}"}
            argument = self.argument_of(value)
            if argument is not None:
                return argument
            arrays.append(np.array(arr, order="C", copy=True))
            return {"t": "nd", "i": len(arrays) - 1, "scalar": isinstance(value, np.generic)}
        if type(value) in (list, tuple):
            return {"t": type(value).__name__, "v": [self.encode(v, arrays, depth + 1) for v in value]}
        if type(value) is dict and all(type(k) in (str, int) for k in value):
            return {"t": "dict", "v": [[k, self.encode(v, arrays, depth + 1)] for k, v in value.items()]}
        return self.encode_other(value, arrays)

    def decode(self, tree, arrays: list, depth: int = 0):
        """Plain data from what `encode` made; anything else is a WireError (or a KeyError,
        TypeError, ValueError on a malformed message), never a half-built value."""
        if depth > MAX_DEPTH:
            raise WireError(f"values nested more than {MAX_DEPTH} levels deep")
        if tree is None or type(tree) in (bool, int, float, str):
            return tree
        if type(tree) is not dict:
            raise WireError("a bare list")
        kind = tree.get("t")
        if kind == "nd":
            i = tree["i"]
            if type(i) is not int or not 0 <= i < len(arrays):
                raise WireError("a reference to an array that was not sent")
            arr = arrays[i]
            return arr[()] if tree.get("scalar") else arr
        if kind == "float":
            if type(tree["v"]) is not str:
                raise WireError("a number that is not one")
            return float(tree["v"])
        if kind in ("list", "tuple", "dict"):
            items = tree["v"]
            if type(items) is not list:
                raise WireError(f"a {kind} that is not one")
            if kind == "dict":
                if not all(type(kv) is list and len(kv) == 2 and type(kv[0]) in (str, int) for kv in items):
                    raise WireError("a dict that is not one")
                return {k: self.decode(v, arrays, depth + 1) for k, v in items}
            items = [self.decode(v, arrays, depth + 1) for v in items]
            return items if kind == "list" else tuple(items)
        return self.decode_other(tree, arrays)

    def argument_of(self, value) -> dict | None:
        """How a returned array that is one of the call's own array arguments travels (the worker's
        codec); None: by value."""
        return None

    def encode_other(self, value, arrays):
        return {"t": "opaque", "desc": f"a {type(value).__name__}"}

    def decode_other(self, tree, arrays):
        raise WireError(f"an unknown value kind {tree.get('t')!r}")


# ------------------------------------------------------------------------------------------------
# Worker side. Nothing below runs in the trusted process.
# ------------------------------------------------------------------------------------------------

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWNET = 0x00020000, 0x08000000, 0x10000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 2, 4, 1 << 14, 1 << 18
PR_SET_NO_NEW_PRIVS = 38
NOBODY = 65534


def lock_down(config: dict) -> dict:
    """Limits; on Linux, private network, IPC and mount namespaces, an empty private file system as
    the root (nothing on disk is visible: not the course, not what a kernel or another student wrote),
    then the unprivileged user `nobody`. Returns what was applied, for the trusted side to log; what
    the system refuses is skipped and shows there."""
    import resource

    applied = {}
    for name, value in config["limits"].items():
        res = getattr(resource, name, None)
        if res is not None:
            try:
                resource.setrlimit(res, (value, value))
                applied[name] = value
            except (ValueError, OSError):
                pass
    if not sys.platform.startswith("linux"):
        applied.update(_preload(config), network="open", filesystem="shared")
        return applied
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    is_root = os.geteuid() == 0
    namespaces = libc.unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | (0 if is_root else CLONE_NEWUSER)) == 0
    if namespaces and not is_root:
        uid, gid = config["uid"], config["gid"]
        for path, text in (("/proc/self/setgroups", "deny"), ("/proc/self/uid_map", f"0 {uid} 1"),
                           ("/proc/self/gid_map", f"0 {gid} 1")):
            try:
                with open(path, "w") as fh:
                    fh.write(text)
            except OSError:
                namespaces = False
    namespaces = namespaces and libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0
    # What the answers may import comes from disk, which is about to disappear: load it now.
    applied.update(_preload(config))
    _close_directories(keep=config["fds"])
    applied["network"] = "isolated" if namespaces else "open"
    applied["filesystem"] = "shared"
    root = config["root"].encode()
    if namespaces and libc.mount(b"tmpfs", root, b"tmpfs", MS_NOSUID | MS_NODEV, b"size=16m,mode=1777") == 0:
        os.chdir(root)
        os.chroot(".")
        os.chdir("/")
        applied["filesystem"] = "empty"
    if is_root:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        applied["user"] = "nobody"
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return applied


def _preload(config: dict) -> dict:
    """Import, while the file system is still there, every module the answers may use (see
    session.import_plan): the base list, every module an import statement names, and every dotted
    name that may be a submodule (`from scipy import stats`, `scipy.stats.norm` after `import scipy`).
    Modules run only their own import-time code here: no student code has run yet. What they print
    or warn while importing is not the student's and is dropped. Returns, for the log, the modules
    named by an import statement that could not be imported."""
    import importlib

    missing = []
    with _silenced():
        for name in config.get("preload", []):
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001 - a module that fails to import, however, is not there
                pass
        for name in config.get("modules", []):
            try:
                importlib.import_module(name)
            except BaseException:  # noqa: BLE001
                missing.append(name)
        for dotted in config.get("names", []):
            _load_submodules(dotted)
    return {"unavailable": ",".join(missing)} if missing else {}


def _load_submodules(dotted: str) -> None:
    """Import each prefix of `dotted` that is a submodule of the one before it, stopping at the first
    part that is neither a module nor a submodule (`numpy.sum`, a function, stops at once)."""
    import importlib
    from types import ModuleType

    parts = dotted.split(".")
    try:
        obj = importlib.import_module(parts[0])
    except BaseException:  # noqa: BLE001
        return
    for i in range(1, len(parts)):
        if not isinstance(obj, ModuleType):
            return
        try:
            obj = getattr(obj, parts[i])   # a package that loads its submodules lazily loads it here
        except BaseException:  # noqa: BLE001
            try:
                obj = importlib.import_module(".".join(parts[:i + 1]))
            except BaseException:  # noqa: BLE001
                return


class _silenced:
    """File descriptors 1 and 2 to /dev/null and every warning ignored, while modules are imported."""

    def __enter__(self):
        import warnings

        self.saved = []
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            for fd in (1, 2):
                self.saved.append((fd, os.dup(fd)))
                os.dup2(null, fd)
            os.close(null)
        except OSError:
            pass
        warnings.filterwarnings("ignore")
        self.ignore = warnings.filters[0]
        return self

    def __exit__(self, *exc):
        import warnings

        try:
            warnings.filters.remove(self.ignore)   # filters the imported modules added stay
        except ValueError:
            pass
        getattr(warnings, "_filters_mutated", lambda: None)()
        for fd, saved in self.saved:
            os.dup2(saved, fd)
            os.close(saved)


def _close_directories(keep) -> None:
    """Close any directory a module left open while importing: with one, code could leave the
    empty root it is about to get (fchdir out of a chroot)."""
    import stat

    try:
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        return
    for fd in fds:
        if fd in keep or fd < 3:
            continue
        try:
            if stat.S_ISDIR(os.fstat(fd).st_mode):
                os.close(fd)
        except OSError:
            pass


class WorkerCodec(Codec):
    def __init__(self, worker: "Worker"):
        self.worker = worker
        self.arguments: list = []   # (key, array) of the call whose return value is being encoded

    def argument_of(self, value) -> dict | None:
        """A returned array that is one of the call's array arguments (`return x`) travels as a
        reference to that argument, and the trusted side returns the very array it passed, so a check
        tells `return x` from a new array as it does in the kernel. So does the whole argument seen
        through a reshaping view (`x.reshape(...)`, `x.ravel()`, `x[:]`: the same memory, start and
        size), with its shape. Other views (a slice, a transpose) travel by value."""
        import numpy as np

        if type(value) is not np.ndarray or not self.arguments or value.size == 0:
            return None
        for key, arg in self.arguments:
            if value is arg:
                return {"t": "arg", "k": key}
        start = value.__array_interface__["data"][0]
        for key, arg in self.arguments:
            if (start == arg.__array_interface__["data"][0] and value.dtype == arg.dtype and value.size == arg.size
                    and value.flags.c_contiguous and arg.flags.c_contiguous):
                return {"t": "arg", "k": key, "shape": list(value.shape)}
        return None

    def encode_other(self, value, arrays):
        if isinstance(value, type):
            kind = "class"
        elif callable(value):
            kind = "function"
        else:
            kind = "object"
        # A property that raises (anything but AttributeError) makes the value unreadable: `send`
        # reports that to the trusted side in place of the reply.
        name = getattr(value, "__name__", None)
        if name is None:
            name = type(value).__name__
        return {"t": "ref", "id": self.worker.keep(value), "kind": kind,
                "name": name if isinstance(name, str) else "?"}

    def decode_other(self, tree, arrays):
        kind = tree.get("t")
        if kind == "ref":
            return self.worker.objects[tree["id"]]
        if kind == "callback":
            return self.worker.callback(tree["id"], tree.get("name", "f"))
        if kind == "rng":
            import numpy as np

            gen = np.random.Generator(getattr(np.random, tree["bit_generator"])())
            gen.bit_generator.state = tree["state"]
            return gen
        raise WireError(f"an unknown value kind {kind!r}")


class CallbackFailed(Exception):
    """A trusted function the grader passed in failed; the grader reports it, not this exception."""


# Warnings never reported: ResourceWarning comes from the garbage collector, whenever it runs, and
# ImportWarning from the import system, not from what the answer computes.
UNREPORTED_WARNINGS = (ResourceWarning, ImportWarning)
MAX_WARNINGS = 20


class Worker:
    def __init__(self, rfd: int, wfd: int, bindings: dict | None = None, caps: dict | None = None):
        self.reader, self.wfd = Reader(rfd), wfd
        self.caps = ReplyCaps(**(caps or {}))   # what the trusted side accepts: larger is refused here
        self.seq = None                          # the sequence number of the request being answered
        self.objects: dict[int, object] = {}
        self.codec = WorkerCodec(self)
        self.namespace = {"__name__": "__main__", "__builtins__": __builtins__}
        self.patches: list[dict] = []
        self.bindings = bindings or {}        # a name an import binds -> the module that import names
        self.cell_files: set[str] = set()     # the file names the loaded cells' code carries
        self.own_file = Worker.serve.__code__.co_filename
        self.warned: set[str] = set()         # the student's warnings since the last reply
        self.returning: list = []             # (key, array) arguments of the call being answered

    def keep(self, value) -> int:
        key = id(value)
        self.objects[key] = value
        return key

    def send(self, message: dict, value_fields: dict) -> None:
        """A reply (or a callback) to the request being answered. A reply that cannot be encoded (a
        property raised while it was described, values nested too deep) or that the trusted side
        would refuse (over its caps) is sent as "unreadable", with the reason: one small message."""
        reply = message.get("op") in ("ok", "error")
        message["seq"] = self.seq
        if self.warned and reply:
            message["warnings"] = sorted(self.warned)[:MAX_WARNINGS]
            self.warned = set()
        try:
            arrays: list = []
            for name, value in value_fields.items():
                # the call's return value may name its arguments; the changed arguments are sent by value
                self.codec.arguments = self.returning if name == "value" and reply else []
                message[name] = self.codec.encode(value, arrays)
            self.codec.arguments = []
            frames = encode_frames(message, arrays)
            layouts = [(None, arr.shape, arr.nbytes) for arr in arrays]
            del arrays
            why = layout_refusal(len(frames[0]), layouts, self.caps) or json_refusal(frames[0], self.caps)
        except WireError as exc:   # the codec's own words (nesting too deep)
            why = str(exc)
        except BaseException as exc:  # noqa: BLE001 - whatever the student's object raised
            why = f"{_type_name(exc)} while it was being read"
        if why:
            if not reply:
                raise CallbackFailed(f"the arguments could not be sent to the grader: {why}")
            frames = encode_frames({"op": "unreadable", "seq": self.seq, "why": why[:200]}, [])
        write_frames(self.wfd, frames)

    def callback(self, cb_id: int, name: str):
        def trusted_function(*args, **kwargs):
            self.send({"op": "callback", "id": cb_id}, {"args": list(args), "kwargs": kwargs})
            message, arrays = self.serve(until_reply=True)
            if message["op"] == "raise":
                raise CallbackFailed(message.get("message", ""))
            return self.codec.decode(message["value"], arrays)

        trusted_function.__name__ = name
        return trusted_function

    def serve(self, until_reply: bool = False):
        while True:
            message, arrays = read_message(self.reader)
            op = message.get("op")
            if op in ("return", "raise"):
                if until_reply:
                    return message, arrays
                continue
            if op == "exit":
                os._exit(0)
            outer, self.seq = self.seq, message.get("seq")
            self.returning = []
            try:
                try:
                    if "reseed" in message:   # the grader's seed, taken before the request runs
                        seed_all(message["reseed"])
                    with self.watching(message.get("errstate")):
                        result, extra = self.handle(op, message, arrays)
                    if op == "load":
                        self.warned = set()   # loading is not the graded call: its warnings are not reported
                    self.send({"op": "ok"}, {"value": result, **extra})
                except BaseException as exc:  # the student's code raised (SystemExit and friends included)
                    self.send(self.describe(exc), {})
            finally:
                self.seq = outer

    def describe(self, exc: BaseException) -> dict:
        """The error reply for the student's exception; one whose name or text cannot be read (a
        raising __str__, a metaclass property) is still described, as far as it can be."""
        try:
            text = str(self.explain(exc))
            text = text[:500] if type(text) is str else "(an exception whose message could not be read)"
        except BaseException:  # noqa: BLE001
            text = "(an exception whose message could not be read)"
        try:
            line = _student_line(exc, self.cell_files)
        except BaseException:  # noqa: BLE001
            line = ""
        return {"op": "error", "type": _type_name(exc), "builtin": _is_builtin(exc), "message": text,
                "line": line if type(line) is str else ""}

    @contextlib.contextmanager
    def watching(self, errstate=None):
        """While a request runs: every warning the student's code causes is recorded (not printed, so
        no file path reaches the feedback), and numpy's floating-point error handling is the grader's,
        whatever np.seterr the answer cells called: the caller's np.geterr() where the request carries
        it (a check that silences numpy around the call, np.errstate(all="ignore"), silences it here
        too), else warnings on errors, as `run_check` sets it in the student's kernel."""
        import warnings

        import numpy as np

        with warnings.catch_warnings(), np.errstate(**_errstate(errstate)):
            warnings.simplefilter("always")
            for category in UNREPORTED_WARNINGS:
                warnings.filterwarnings("ignore", category=category)
            warnings.showwarning = self.record_warning
            yield

    def record_warning(self, message, category, filename, lineno, file=None, line=None) -> None:
        if len(self.warned) < MAX_WARNINGS and self.caused_by_student(sys._getframe(1)):
            self.warned.add(without_addresses(f"{category.__name__}: {message}")[:300])

    def caused_by_student(self, frame) -> bool:
        """The innermost frame that is the answers' code or the worker's own decides: library code
        (numpy warning about what the answer passed it) is looked through."""
        while frame is not None:
            name = frame.f_code.co_filename
            if name in self.cell_files:
                return True
            if name == self.own_file:
                return False
            frame = frame.f_back
        return False

    def explain(self, exc: BaseException) -> str:
        """The student's exception in words; an import the worker cannot satisfy says so plainly."""
        if isinstance(exc, ModuleNotFoundError) and exc.name:
            return not_provided(exc.name)
        name = getattr(exc, "name", None) if isinstance(exc, NameError) else None
        module = self.bindings.get(name) if isinstance(name, str) else None
        if module and module not in sys.modules:
            return f"{not_provided(module)} (name '{name}' is not defined)"
        return without_addresses(str(exc))

    def handle(self, op: str, message: dict, arrays: list):
        decode = lambda key: self.codec.decode(message.get(key), arrays)  # noqa: E731
        if op == "load":
            failed = []
            import linecache

            for label, source in message["cells"]:
                filename = f"<{label}>"
                self.cell_files.add(filename)
                # as IPython keeps a cell's source: an exception's traceback shows the student's line
                linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
                try:
                    # What a cell prints while it loads showed under that cell in the kernel; it is
                    # not feedback on any test cell.
                    with contextlib.redirect_stdout(_Discard()), contextlib.redirect_stderr(_Discard()):
                        exec(compile(source, f"<{label}>", "exec"), self.namespace)
                except BaseException as exc:
                    described = self.describe(exc)
                    failed.append([label, f"{described['type']}: {described['message'][:200]}"])
            return failed, {}
        if op == "lookup":
            name = message["name"]
            if name not in self.namespace:
                raise NameError(f"name '{name}' is not defined")
            return self.namespace[name], {}
        if op == "call":
            fn = self.objects[message["target"]]
            args, kwargs = decode("args"), decode("kwargs")
            before = _array_copies(args, kwargs)
            result = fn(*args, **kwargs)
            self.returning = [(key, value) for key, value in _positional_and_keyword(args, kwargs)
                              if key in before and before[key] is not None]   # the array arguments
            return result, {"after": _changed(before, args, kwargs)}
        if op == "getattr":
            return getattr(self.objects[message["target"]], message["name"]), {}
        if op == "setattr":
            setattr(self.objects[message["target"]], message["name"], decode("value"))
            return None, {}
        if op == "new":
            cls = self.objects[message["target"]]
            overrides = {name: _method(self.callback(cb, name)) for name, cb in message["overrides"].items()}
            if overrides:
                cls = type(cls.__name__, (cls,), overrides)
            return cls.__new__(cls), {}
        if op == "patch":
            saved = {name: self.namespace.get(name, _MISSING) for name in message["names"]}
            self.patches.append(saved)
            for name, cb in message["names"].items():
                self.namespace[name] = self.callback(cb, name)
            return None, {}
        if op == "unpatch":
            for name, value in self.patches.pop().items():
                if value is _MISSING:
                    self.namespace.pop(name, None)
                else:
                    self.namespace[name] = value
            return None, {}
        if op == "seed":
            seed_all(message["seed"])
            return None, {}
        raise WireError(f"unknown request {op!r}")


_MISSING = object()

# The seed np.random and random start from in a new worker: the same every time, so that an answer
# drawing from them without a seed of its own gets the same grade in every fresh worker.
START_SEED = 0


def seed_all(seed) -> None:
    """Seed np.random and random as Hypothesis seeds them before each example in the grader's process
    (hypothesis.internal.entropy: `np.random.seed(seed)`, and `random` set to `Random(seed)`'s state)."""
    import random

    import numpy as np

    if type(seed) is not int or not 0 <= seed < 2**32:
        raise WireError(f"a seed that is not one: {str(seed)[:40]}")
    np.random.seed(seed)
    random.seed(seed)


class _Discard:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _unraisable(info) -> None:
    """An exception in a finalizer or callback: one line without the object's address."""
    sys.stderr.write(without_addresses(f"Exception ignored: {info.exc_type.__name__}: {info.exc_value}") + "\n")


def _method(fn):
    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)

    method.__name__ = fn.__name__
    return method


def _positional_and_keyword(args, kwargs):
    return list(enumerate(args)) + list(kwargs.items())


def _array_copies(args, kwargs) -> dict:
    import numpy as np

    copies = {}
    for key, value in _positional_and_keyword(args, kwargs):
        if isinstance(value, np.ndarray):
            copies[key] = value.tobytes()   # bytes compare faster than array_equal, NaNs included
        elif isinstance(value, np.random.Generator):
            copies[key] = None
    return copies


def _changed(before: dict, args, kwargs) -> list:
    """The arguments the call modified in place (arrays) or advanced (generators): the trusted side
    copies them back, so that checks see what a call in the kernel would have done."""
    import numpy as np

    values = dict(_positional_and_keyword(args, kwargs))
    changed = []
    for key, old in before.items():
        new = values[key]
        if isinstance(new, np.random.Generator):
            changed.append([key, {"rng_state": json.dumps(new.bit_generator.state)}])
        elif new.tobytes() != old:
            changed.append([key, new])
    return changed


ERRSTATE_KINDS = ("divide", "over", "under", "invalid")
ERRSTATE_MODES = ("ignore", "warn", "raise", "print")


def _errstate(sent) -> dict:
    """numpy's error handling for a request: what the trusted side sent (its np.geterr()), each kind
    one of ERRSTATE_MODES (a mode that needs a function of the caller's, "call" or "log", warns here);
    run_check's default for what it did not send."""
    state = {"divide": "warn", "over": "warn", "invalid": "warn", "under": "ignore"}
    if type(sent) is dict:
        for kind in ERRSTATE_KINDS:
            mode = sent.get(kind)
            if type(mode) is str:
                state[kind] = mode if mode in ERRSTATE_MODES else "warn"
    return state


def _type_name(obj) -> str:
    """The name of obj's class, read from the class itself (a metaclass cannot substitute one)."""
    name = type.__dict__["__name__"].__get__(type(obj))
    return name if type(name) is str else "object"


def _is_builtin(exc: BaseException) -> bool:
    import builtins

    return getattr(builtins, _type_name(exc), None) is type(exc)


def _student_line(exc: BaseException, cell_files) -> str:
    """The line of the innermost frame of the loaded cells' code where the exception passed (never
    numpy's own line inside a function the answer called), read from linecache, where `load` put
    the cells' source."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in cell_files]
    return frames[-1].line.strip()[:200] if frames and frames[-1].line else ""


def _read_config() -> dict:
    """The configuration arrives on standard input, which then becomes /dev/null: the channel's
    descriptor numbers are in neither the arguments nor the environment."""
    data = bytearray()
    while True:
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        data += chunk
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    return json.loads(data)


def main() -> None:
    config = _read_config()
    sys.path[:0] = config["path"]
    rfd, wfd = config["fds"]
    applied = lock_down(config)
    sys.unraisablehook = _unraisable
    worker = Worker(rfd, wfd, config.get("bindings"), config.get("caps"))
    del config
    seed_all(START_SEED)   # before any cell loads: not from the system's entropy
    worker.send({"op": "ready", "applied": applied}, {})
    worker.serve()


if __name__ == "__main__":
    main()
