"""Stand-ins for the student's functions, classes and objects, which live in the worker.

The checks use them as they would use the real thing: call a function (arrays and numbers go over,
arrays and numbers come back), subclass a class and override a method (the worker calls back for
it), read and set an attribute. Functions the checks pass in (a loss to differentiate, a recorder)
stay here and are called back. Nothing the worker sends is ever executed here.

The stand-in for a function (`RemoteFunction`) is an `Answer` (grader/answers.py), the interface the
checks also receive for a function of their own process, so no check tells the two apart.
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from ..answers import Answer, CodeReader, RunsStudentCode, T
from ..outcome import WorkerFailure
from . import worker as wire

if TYPE_CHECKING:   # the session imports this module (for its codec); the stand-ins only use it
    from .session import Session

# How the trusted step labels the student's answer cells among the cells the worker loads (the rest
# are the definitions of the instructor's provided cells).
ANSWER_CELL_LABEL = "answer cell"

_active: contextvars.ContextVar["Session | None"] = contextvars.ContextVar("grader_sandbox", default=None)


def current_session() -> Session | None:
    """The session whose answers are being graded, if the checks run outside the student's kernel."""
    return _active.get()


@contextlib.contextmanager
def active(session: Session) -> Iterator[Session]:
    token = _active.set(session)
    try:
        yield session
    finally:
        _active.reset(token)


def seed_global_random(seed: int) -> None:
    """Seed np.random in the worker of the session being graded, if there is one."""
    session = current_session()
    if session is not None:
        _seed_worker(session, seed)


def _seed_worker(session: Session, seed: int) -> None:
    """Seed np.random (and random) in the session's worker (the student's code may draw from it, as
    CS231n's does), before its next request."""
    session.seed_random(seed)


class Opaque:
    """Something the worker returned that is not plain data (an object array, a generator...)."""

    def __init__(self, desc: str):
        self.desc = desc

    def __repr__(self):
        return f"<{self.desc}>"


class _Remote:
    """What every stand-in knows: its session, its worker object and the answer it belongs to."""

    def _bind(self, session: Session, ref: int, name: str, answer: str) -> None:
        object.__setattr__(self, "_session", session)
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_answer", answer)
        object.__setattr__(self, "_generation", session.generation)
        object.__setattr__(self, "_scope", session.scope)

    def _target(self) -> int:
        _check_current(self._session, self._generation, self._scope)
        return self._ref


class RemoteFunction(_Remote, Answer):
    """A student's function in the worker: the `Answer` the checks receive during autograde."""

    def __init__(self, session: Session, ref: int, name: str, answer: str, lookup: str | None = None):
        self._bind(session, ref, name, answer)
        self._lookup = lookup   # a top-level answer: looked up again in a restarted worker

    @property
    def __name__(self):
        return self._name

    def _target(self) -> int:
        if self._lookup and self._lookup not in self._session.failed:
            self._session.ensure_started(self._answer)
        stale = (self._generation, self._scope) != (self._session.generation, self._session.scope)
        if stale and self._lookup:   # a top-level answer: looked up again in a new worker or check
            fresh = self._session.request({"op": "lookup", "name": self._lookup}, answer=self._answer)
            self._ref, self._generation, self._scope = fresh._ref, fresh._generation, fresh._scope
        return super()._target()

    def __call__(self, *args, **kwargs):
        return self._session.request({"op": "call", "target": self._target()},
                                     {"args": list(args), "kwargs": kwargs}, answer=self._answer)

    def answer_source(self) -> tuple[str | None, list[tuple[str, str]]]:
        """The name the hidden test graded this answer under (None for a function the student's code
        returned) and the student's answer cells, (label, source) in notebook order, as the trusted
        step read them from the submitted notebook: for checks that read the answer's code. Nothing
        here comes from the worker."""
        return self._lookup, [(label, source) for label, source in self._session.cells
                              if label.startswith(ANSWER_CELL_LABEL)]

    def read_code(self, reader: CodeReader[T]) -> T:
        """The code as the submitted answer cells hold it (`answer_source`): never asked of the worker."""
        return reader.from_cells(*self.answer_source())

    def seed_random(self, seed: int) -> None:
        _seed_worker(self._session, seed)

    @contextlib.contextmanager
    def patched_globals(self, references: dict[str, Callable]) -> Iterator[None]:
        """While inside, the names in the answers' namespace are the given trusted functions."""
        names = {name: self._session.register_callback(fn) for name, fn in references.items()}
        self._session.request({"op": "patch", "names": names}, answer=self._answer)
        try:
            yield
        finally:
            if self._generation == self._session.generation:
                self._session.request({"op": "unpatch"}, answer=self._answer)

    def __repr__(self):
        return f"<function {self._name}>"


class RemoteObject(_Remote):
    """An instance in the worker: attributes are read and set there."""

    def __init__(self, session: Session, ref: int, name: str, answer: str):
        self._bind(session, ref, name, answer)

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_session", "_ref", "_name", "_answer", "_generation", "_scope"):
            raise AttributeError(name)
        return self._session.request({"op": "getattr", "target": self._target(), "name": name}, answer=self._answer)

    def __setattr__(self, name: str, value) -> None:
        self._session.request({"op": "setattr", "target": self._target(), "name": name}, {"value": value},
                              answer=self._answer)

    def __repr__(self):
        return f"<{self._name} object>"


class _RemoteClassMeta(type):
    """Class-level attribute reads (a method, a class constant) go to the worker's class. A class in
    the worker runs its code there: np.random is seeded there (`RunsStudentCode`)."""

    def seed_random(cls, seed: int) -> None:
        base = _remote_base(cls)
        _seed_worker(base._remote[0], seed)

    def __getattr__(cls, name: str):
        base = _remote_base(cls)
        if name.startswith("__") or base is None:
            raise AttributeError(name)
        session, ref, answer = base._remote
        _check_current(session, base._generation, base._scope)
        return session.request({"op": "getattr", "target": ref, "name": name}, answer=answer)


RunsStudentCode.register(_RemoteClassMeta)   # its instances, the stand-ins for classes, seed the worker


def _check_current(session: Session, generation: int, scope: int) -> None:
    """A stand-in works only in the worker and the check it was made in."""
    if generation != session.generation:
        raise WorkerFailure("the worker was restarted after an earlier failure")
    if scope != session.scope:
        raise WorkerFailure("an object from an earlier check: each check uses only what it obtains itself")


def _remote_base(cls):
    return next((k for k in cls.__mro__ if "_remote" in k.__dict__), None)


class RemoteInstance(RemoteObject, metaclass=_RemoteClassMeta):
    """Base of the stand-in for a student's class. Subclassing it here and overriding a method (as the
    checks do to record calls) overrides it in the worker too: the worker calls back."""

    def __new__(cls, *args, **kwargs):
        base = _remote_base(cls)
        session, ref, answer = base._remote
        _check_current(session, base._generation, base._scope)
        overrides = {}
        for klass in cls.__mro__:
            if klass is base:
                break
            for name, value in vars(klass).items():
                if callable(value) and not name.startswith("__") and name not in overrides:
                    overrides[name] = session.register_callback(value)
        made = session.request({"op": "new", "target": ref, "overrides": overrides}, answer=answer)
        obj = object.__new__(cls)
        obj._bind(session, made._ref, base.__name__, answer)
        session.instances[made._ref] = obj
        return obj

    def __init__(self, *args, **kwargs):
        init = self._session.request({"op": "getattr", "target": self._target(), "name": "__init__"},
                                     answer=self._answer)
        init(*args, **kwargs)


def remote_class(session: Session, ref: int, name: str, answer: str) -> type:
    stand_in = _RemoteClassMeta(name, (RemoteInstance,), {"_remote": (session, ref, answer),
                                                          "_generation": session.generation,
                                                          "_scope": session.scope})
    return stand_in


class TrustedCodec(wire.Codec):
    def __init__(self, session: Session):
        self.session = session
        self.call_values: dict | None = None   # {"args", "kwargs"} of the call whose reply is decoded

    def returned_argument(self, tree) -> np.ndarray:
        """The array argument a call's reply names (`{"t": "arg", "k": index or name}`): the very array
        this side passed, or, with a shape, that array reshaped (a view of it where numpy can make
        one). Only in a call's return value, and only an array argument of that call: anything else is
        a malformed reply."""
        values, key = self.call_values, tree.get("k")
        if values is None:
            raise wire.WireError("a reference to an argument outside a call's return value")
        args, kwargs = values.get("args", []), values.get("kwargs", {})
        if type(key) is int and 0 <= key < len(args):
            target = args[key]
        elif type(key) is str and key in kwargs:
            target = kwargs[key]
        else:
            raise wire.WireError(f"a reference to an argument the call does not have ({str(key)[:40]})")
        if type(target) is not np.ndarray:
            raise wire.WireError("a reference to an argument that is not an array")
        shape = tree.get("shape")
        if shape is None:
            return target
        if not (type(shape) is list and len(shape) <= wire.MAX_NDIM and all(type(n) is int and n >= 0 for n in shape)
                and int(np.prod(shape, dtype=object)) == target.size):
            raise wire.WireError(f"an argument reshaped to {str(shape)[:40]}")
        return target.reshape(shape)

    def encode_other(self, value, arrays):
        if isinstance(value, _Remote):
            return {"t": "ref", "id": value._target()}
        if isinstance(value, type) and _remote_base(value) is not None and isinstance(value, _RemoteClassMeta):
            base = _remote_base(value)
            _check_current(self.session, base._generation, base._scope)
            return {"t": "ref", "id": base._remote[1]}
        if isinstance(value, np.random.Generator):
            return {"t": "rng", "bit_generator": type(value.bit_generator).__name__,
                    "state": value.bit_generator.state}
        if callable(value):
            return {"t": "callback", "id": self.session.register_callback(value),
                    "name": getattr(value, "__name__", "f")}
        raise TypeError(f"the grader cannot send a {type(value).__name__} to the student's code")

    def decode_other(self, tree, arrays):
        kind = tree.get("t")
        if kind == "arg":
            return self.returned_argument(tree)
        if kind == "opaque":
            desc = tree.get("desc")
            return Opaque(desc[:100] if type(desc) is str else "an object")
        if kind != "ref":
            raise wire.WireError(f"an unknown value kind {str(kind)[:40]!r}")
        ref, name, answer = tree["id"], tree.get("name"), self.session.current_answer
        if type(ref) is not int:
            raise wire.WireError("a reference that is not a number")
        name = name[:100] if type(name) is str else "?"   # shown in feedback: never more than a name
        if tree.get("kind") == "function":
            return RemoteFunction(self.session, ref, name, answer)
        if tree.get("kind") == "class":
            return remote_class(self.session, ref, name, answer)
        return self.session.instances.get(ref) or RemoteObject(self.session, ref, name, answer)


def answer_proxy(session: Session, name: str):
    """The student's answer `name`, as the checks receive it: plain data by value, else a stand-in."""
    value = session.request({"op": "lookup", "name": name}, answer=name)
    if isinstance(value, RemoteFunction):
        value._lookup = name
    return value
